package io.ferry.app;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Routes java.util.logging (the binlog client logs there) into SLF4J. */
final class Logging {
  private Logging() {}

  static void install() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    java.util.logging.Logger.getLogger("com.github.shyiko").setLevel(java.util.logging.Level.INFO);
  }
}
