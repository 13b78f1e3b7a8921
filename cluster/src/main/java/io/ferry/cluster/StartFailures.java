package io.ferry.cluster;

import java.util.ArrayList;
import java.util.List;

/** Turns a failed clustered start into a message that names the setting to change. */
final class StartFailures {
  private StartFailures() {}

  static ClusterException explain(Throwable failure, ClusterSettings settings) {
    if (failure instanceof ClusterException known) {
      return known;
    }
    List<Throwable> chain = chain(failure);
    boolean inHazelcast = chain.stream().anyMatch(t -> t.getClass().getName().startsWith("com.hazelcast."));
    String text = String.join(" / ", chain.stream().map(t -> String.valueOf(t.getMessage())).toList());
    if (text.contains("already in use")) {
      return inHazelcast
          ? new ClusterException(ClusterSettings.ENV_PORT + "=" + settings.port() + ": port " + settings.port()
              + " on " + settings.host() + " is already in use (another Ferry node on this machine?); give each"
              + " node its own " + ClusterSettings.ENV_PORT, failure)
          : new ClusterException(ClusterSettings.ENV_EVENT_BUS_PORT + "=" + settings.eventBusPort() + ": port "
              + settings.eventBusPort() + " on " + settings.host() + " is already in use; choose another, or 0"
              + " for any free port", failure);
    }
    if (text.contains("Cannot assign requested address")) {
      return new ClusterException(ClusterSettings.ENV_HOST + "='" + settings.host() + "' cannot be bound on this"
          + " machine", failure);
    }
    return new ClusterException("Cannot start the Ferry cluster member on " + settings.host() + ":" + settings.port()
        + " (" + ClusterSettings.ENV_JOIN + "=" + settings.join() + "): " + failure.getMessage(), failure);
  }

  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
