package io.ferry.app.node;

import io.ferry.cluster.ClusterCredentials;
import io.ferry.cluster.ClusterSettings;
import io.ferry.cluster.FerryCluster;
import io.vertx.core.Vertx;

/** Joins the Ferry cluster with this node's settings and the credentials that {@code ferry cluster init} wrote. */
public final class Cluster {
  private Cluster() {}

  /** The cluster settings of these node settings. */
  public static ClusterSettings settings(NodeSettings settings) {
    return ClusterSettings.fromEnvironment(settings.values(), settings.dataDir());
  }

  /** Starts a clustered Vert.x. Blocking. */
  public static Vertx join(ClusterSettings cluster) throws Exception {
    ClusterCredentials credentials = ClusterCredentials.load(cluster.credentialsDir());
    return ControlPlaneNode.await(FerryCluster.start(cluster, credentials));
  }
}
