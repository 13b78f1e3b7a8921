package io.ferry.controlplane;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP front's settings.
 *
 * @param port the port to listen on; 0 picks a free one
 * @param bodyLimitBytes larger request bodies are refused with 413
 * @param sessionTtl how long a dashboard session token lives
 * @param eventsKeepAlive how often the event stream sends a comment so proxies keep it open
 * @param clock the time source of computed ages (metrics)
 */
public record ControlPlaneSettings(int port, long bodyLimitBytes, Duration sessionTtl, Duration eventsKeepAlive,
    Clock clock) {
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);
  public static final Duration DEFAULT_EVENTS_KEEP_ALIVE = Duration.ofSeconds(15);

  public ControlPlaneSettings {
    List<String> problems = new ArrayList<>();
    if (port < 0 || port > 65535) {
      problems.add("port must be between 0 and 65535, was " + port);
    }
    if (bodyLimitBytes < 1024) {
      problems.add("bodyLimitBytes must be at least 1024, was " + bodyLimitBytes);
    }
    if (sessionTtl == null || sessionTtl.toSeconds() < 60) {
      problems.add("sessionTtl must be at least one minute");
    }
    if (eventsKeepAlive == null || eventsKeepAlive.toMillis() < 100) {
      problems.add("eventsKeepAlive must be at least 100 ms");
    }
    if (clock == null) {
      problems.add("clock is required");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid control plane settings: " + String.join("; ", problems));
    }
  }

  public static ControlPlaneSettings defaults() {
    return new ControlPlaneSettings(DEFAULT_PORT, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_SESSION_TTL,
        DEFAULT_EVENTS_KEEP_ALIVE, Clock.systemUTC());
  }

  public ControlPlaneSettings withPort(int newPort) {
    return new ControlPlaneSettings(newPort, bodyLimitBytes, sessionTtl, eventsKeepAlive, clock);
  }

  public ControlPlaneSettings withBodyLimit(long bytes) {
    return new ControlPlaneSettings(port, bytes, sessionTtl, eventsKeepAlive, clock);
  }
}
