package io.ferry.app;

import io.ferry.mariadb.MariaDbServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of a job in a child process share: a source and a destination server for the class,
 * a temporary directory per test (kept when the test fails, for the children's logs), and the cleanup
 * that leaves no child process and no load thread behind.
 */
abstract class ChildJobBase {
  static MariaDbServer source;
  static MariaDbServer destination;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the children's logs
  Path dir;

  final List<FerryProcess> children = new ArrayList<>();
  LedgerLoad load;

  @BeforeAll
  static void servers() {
    source = ChildJobSupport.startSource();
    destination = ChildJobSupport.startDestination();
  }

  @AfterAll
  static void close() {
    if (destination != null) {
      destination.close();
    }
    if (source != null) {
      source.close();
    }
  }

  @AfterEach
  void killChildren() throws InterruptedException {
    for (FerryProcess child : children) {
      child.close();
    }
    if (load != null) {
      load.close();
    }
  }
}
