package io.ferry.worker.it;

import io.ferry.mariadb.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's pair of real servers: a source and a destination with default settings. */
abstract class SourceAndDestination {
  static MariaDbServer source;
  static MariaDbServer destination;

  @BeforeAll
  static void startServers() {
    source = ItSupport.startSource(b -> b);
    destination = ItSupport.startDestination(b -> b);
  }

  @AfterAll
  static void closeServers() {
    destination.close();
    source.close();
  }
}
