package io.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one lookup that tells the key builder both whether a destination table is there and which keys it
 * has: a table without any key is there (no names), a missing one is not (null).
 */
class ExistingKeysIT {
  private static MariaDbServer server;

  @BeforeAll
  static void start() {
    server = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.DESTINATION).serverId(2).build());
    server.execute("CREATE DATABASE keys_db",
        "CREATE TABLE keys_db.keyed (id INT PRIMARY KEY, a INT, b INT, KEY `By_A` (a, b), UNIQUE KEY u_b (b))",
        "CREATE TABLE keys_db.bare (a INT, b INT)");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void namesTheKeysOfATableThatIsThereAndNothingForOneThatIsNot() throws Exception {
    try (Connection c = server.rootConnection()) {
      assertThat(DeferredKeys.existingKeys(c, "keys_db", "keyed")).containsExactlyInAnyOrder("primary", "by_a", "u_b");
      assertThat(DeferredKeys.existingKeys(c, "keys_db", "bare")).isEmpty();
      assertThat(DeferredKeys.existingKeys(c, "keys_db", "missing")).isNull();
      assertThat(DeferredKeys.existingKeys(c, "no_such_db", "keyed")).isNull();
    }
  }
}
