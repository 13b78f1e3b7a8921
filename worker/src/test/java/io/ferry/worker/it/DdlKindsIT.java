package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every kind of table DDL, with rows written between the statements, under {@code exec} (applied in
 * stream order: the destination ends with the source's columns, indexes and rows) and under {@code stop}
 * (the job pauses before each statement, naming it, and goes on with it executed); under {@code ignore}
 * index changes leave the destination's indexes alone while rows keep arriving.
 */
class DdlKindsIT extends SourceAndDestination {
  /** {db} is the source database; each statement is followed by writes to the table it leaves. */
  private static final String[][] STEPS = {
      {"CREATE INDEX ix_v ON {db}.t (v)", "t"},
      {"ALTER TABLE {db}.t MODIFY v VARCHAR(60) NOT NULL DEFAULT ''", "t"},
      {"ALTER TABLE {db}.t RENAME COLUMN v TO w", "t"},
      {"ALTER TABLE {db}.t ADD COLUMN z INT NOT NULL DEFAULT 7", "t"},
      {"CREATE UNIQUE INDEX uz ON {db}.t (z, id)", "t"},
      {"ALTER TABLE {db}.t DROP INDEX uz, DROP COLUMN z", "t"},
      {"DROP INDEX ix_v ON {db}.t", "t"},
      {"RENAME TABLE {db}.t TO {db}.t2", "t2"},
      {"ALTER TABLE {db}.t2 RENAME TO {db}.t3", "t3"},
      {"CREATE TABLE {db}.born (id INT PRIMARY KEY, w VARCHAR(60) NOT NULL DEFAULT '')", "born"},
      {"DROP TABLE {db}.born", "t3"},
  };

  @Test
  void execAppliesEveryKindInStreamOrder() throws Exception {
    String db = prepare("ddl_exec");
    JobRunner runner = ItSupport.start(job("ddl-exec", db, DdlPolicy.EXEC));
    try {
      runSteps(db);
      ItSupport.awaitCaughtUp(runner, source);
      assertSameShapeAndRows(db, "t3");
      assertThat(tables(destination, db + "_copy")).containsExactly("t3");
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void stopPausesBeforeEachKindAndGoesOnWithItExecuted() throws Exception {
    String db = prepare("ddl_stop");
    JobConfig job = job("ddl-stop", db, DdlPolicy.STOP);
    JobRunner runner = ItSupport.start(job);
    ItSupport.awaitCaughtUp(runner, source);
    runSteps(db);
    List<String> seen = new ArrayList<>();
    for (String[] step : STEPS) {
      assertThat(runner.awaitTermination(60, TimeUnit.SECONDS)).as("paused at %s (seen %s)", step[0], seen).isTrue();
      assertThat(runner.state()).as("state (error %s)", runner.error()).isEqualTo(JobState.PAUSED);
      assertThat(runner.error().code()).isEqualTo("DDL_STOP");
      String statement = step[0].replace("{db}", db);
      // (the server logs DROP TABLE rewritten: names quoted, a comment appended)
      assertThat(runner.error().getMessage().replace("`", "")).as("the pause names the statement").contains(statement);
      seen.add(statement);
      runner = ItSupport.start(job, JobOptions.DEFAULTS.withResumeDdl(JobOptions.ResumeDdl.EXEC));
    }
    try {
      ItSupport.awaitCaughtUp(runner, source);
      assertSameShapeAndRows(db, "t3");
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void ignoreLeavesTheDestinationsIndexesAlone() throws Exception {
    String db = prepare("ddl_ignore");
    JobRunner runner = ItSupport.start(job("ddl-ignore", db, DdlPolicy.IGNORE));
    try {
      source.execute("INSERT INTO " + db + ".t VALUES (1, 'one'), (2, 'two')",
          "CREATE INDEX ix_v ON " + db + ".t (v)", "INSERT INTO " + db + ".t VALUES (100, 'after index')",
          "ALTER TABLE " + db + ".t COMMENT = 'changed'", "UPDATE " + db + ".t SET v = 'again' WHERE id = 1");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, db + "_copy", "t");
      assertThat(indexes(destination, db + "_copy", "t")).containsExactly("PRIMARY");
      assertThat(indexes(source, db, "t")).containsExactly("PRIMARY", "ix_v");
    } finally {
      ItSupport.stop(runner);
    }
  }

  private static String prepare(String label) {
    String db = ItSupport.uniqueDb(label);
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(30))");
    return db;
  }

  private static JobConfig job(String id, String db, DdlPolicy policy) {
    return ItSupport.job(id, source, destination, List.of(db + ".*"), Map.of(db, db + "_copy"), policy);
  }

  /** Runs every step, each followed by an insert and an update on the table it leaves. */
  private static void runSteps(String db) {
    source.execute("INSERT INTO " + db + ".t VALUES (1, 'one'), (2, 'two')");
    int id = 10;
    for (int i = 0; i < STEPS.length; i++) {
      source.execute(STEPS[i][0].replace("{db}", db));
      String column = i < 2 ? "v" : "w"; // the third step renames v to w
      String table = db + "." + STEPS[i][1];
      source.execute("INSERT INTO " + table + " (id, " + column + ") VALUES (" + id + ", 'row " + id + "')",
          "UPDATE " + table + " SET " + column + " = CONCAT(" + column + ", '!') WHERE id = " + (id - 2) + " OR id = 1");
      id += 2;
    }
  }

  private static void assertSameShapeAndRows(String db, String table) throws SQLException {
    ItSupport.assertSameData(source, db, destination, db + "_copy", table);
    assertThat(columns(destination, db + "_copy", table)).isEqualTo(columns(source, db, table));
    assertThat(indexes(destination, db + "_copy", table)).isEqualTo(indexes(source, db, table));
  }

  private static List<String> columns(io.ferry.mariadb.MariaDbServer s, String db, String table) throws SQLException {
    return ItSupport.strings(s, "SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE) FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", db, table);
  }

  private static List<String> indexes(io.ferry.mariadb.MariaDbServer s, String db, String table) throws SQLException {
    return ItSupport.strings(s, "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
        + " AND TABLE_NAME = ? ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME", db, table);
  }

  private static List<String> tables(io.ferry.mariadb.MariaDbServer s, String db) throws SQLException {
    return ItSupport.strings(s, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", db);
  }
}
