package io.ferry.app.node;

import io.ferry.cluster.ClusterCredentials;
import io.ferry.cluster.ClusterSettings;
import io.ferry.cluster.FerryCluster;
import io.ferry.cluster.KnownMembers;
import io.vertx.core.Vertx;

/** Joins the Ferry cluster with this node's settings and the credentials that {@code ferry cluster init} wrote. */
public final class Cluster {
  private Cluster() {}

  /** The cluster settings of these node settings. */
  public static ClusterSettings settings(NodeSettings settings) {
    return ClusterSettings.fromEnvironment(settings.values(), settings.dataDir());
  }

  /**
   * Starts a clustered Vert.x. Blocking. The members this node saw are remembered in its data
   * directory ({@link KnownMembers}), so a restart joins the running cluster even when none of
   * {@code FERRY_CLUSTER_JOIN} answers (a restarted control plane names nobody).
   */
  public static Vertx join(ClusterSettings cluster, NodeSettings node) throws Exception {
    ClusterCredentials credentials = ClusterCredentials.load(cluster.credentialsDir());
    return ControlPlaneNode.await(FerryCluster.start(cluster, credentials, null, KnownMembers.in(node.dataDir())));
  }
}
