package io.ferry.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGINT and SIGTERM into a clean stop. Handling the signals (instead of a shutdown hook) lets
 * the command finish its stop and return its own exit code: 0 after a clean stop.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  static void onTermination(Runnable stop) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
          LOG.info("received SIG{}, stopping cleanly", s.getName());
          stop.run();
        });
      } catch (IllegalArgumentException e) {
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "ferry-shutdown"));
      }
    }
  }
}
