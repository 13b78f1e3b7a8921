package io.ferry.worker.preflight;

import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.schema.ColumnDef;
import io.ferry.worker.schema.SchemaReader;
import io.ferry.worker.schema.TableDef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a destination can take the job's writes (writable, privileges) and that every included
 * table has the source's shape there; creates the tables that are missing from the source's
 * definition (with the rename map applied).
 */
public final class DestinationPreflight {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationPreflight.class);

  /** What a missing table is created with: the source's {@code CREATE TABLE}, or a text made from it. */
  public interface Creation {
    String ddl(Connection dest, String sourceDb, String table, String createTable) throws SQLException;

    Creation AS_IS = (dest, sourceDb, table, createTable) -> createTable;
  }

  private final JobConfig job;
  /** The privileges {@link #check} read; null before it ran. */
  private Grants grants;

  public DestinationPreflight(JobConfig job) {
    this.job = job;
  }

  public List<Problem> check(Connection dest) throws SQLException {
    List<Problem> problems = new ArrayList<>();
    String who = "job " + job.id() + ": destination " + job.destination().describe();
    if ("ON".equalsIgnoreCase(SourceQueries.variable(dest, "read_only"))
        || "ON".equalsIgnoreCase(SourceQueries.variable(dest, "super_read_only"))) {
      problems.add(new Problem("DESTINATION_READ_ONLY", who + " is read-only (read_only=ON)",
          "SET GLOBAL read_only=OFF on the destination, or point the job at its writable primary."));
    }
    grants = Grants.of(dest);
    String user = job.destination().user();
    Set<String> databases = new LinkedHashSet<>();
    job.tables().literalDatabases().forEach(db -> databases.add(job.destinationDatabase(db)));
    for (String db : databases) {
      for (String privilege : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
        if (!grants.has(db, privilege)) {
          problems.add(new Problem("DESTINATION_PRIVILEGES", who + ": user " + user + " lacks " + privilege + " on " + db,
              "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON `" + db + "`.* TO " + user + "."));
          break;
        }
      }
    }
    String ferry = job.tuning().ferrySchema();
    if (!grants.has(ferry, "CREATE") || !grants.has(ferry, "SELECT") || !grants.has(ferry, "INSERT")
        || !grants.has(ferry, "UPDATE")) {
      problems.add(new Problem("DESTINATION_PRIVILEGES", who + ": user " + user + " cannot keep Ferry's checkpoint in "
          + ferry, "GRANT ALL ON `" + ferry + "`.* TO " + user + "."));
    }
    return problems;
  }

  /**
   * For every source table the job includes: creates it at the destination when missing, otherwise
   * compares shapes. Returns the problems (a table of a different shape).
   *
   * @param creation makes the {@code CREATE TABLE} of a missing table from the source's
   */
  public List<Problem> provisionTables(Connection source, Connection dest, List<String[]> tables, boolean checkShapes,
                                       Creation creation) throws SQLException {
    List<Problem> problems = new ArrayList<>();
    for (String[] t : tables) {
      String db = t[0];
      String table = t[1];
      String destDb = job.destinationDatabase(db);
      TableDef have = SchemaReader.read(dest, destDb, table);
      if (have == null) {
        create(source, dest, db, destDb, table, creation);
        continue;
      }
      TableDef want = checkShapes ? SchemaReader.read(source, db, table) : null;
      String diff = want == null ? null : difference(want, have);
      if (diff != null) {
        problems.add(new Problem("DESTINATION_SHAPE", "job " + job.id() + ": destination table " + destDb + "."
            + table + " on " + job.destination().describe() + " differs from source " + db + "." + table + ": " + diff,
            "Make the destination table match the source (same columns and types), or drop it so Ferry creates it."));
      }
    }
    return problems;
  }

  private void create(Connection source, Connection dest, String db, String destDb, String table, Creation creation)
      throws SQLException {
    String ddl;
    try (Statement s = source.createStatement();
         ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + Jdbc.quote(db, table))) {
      rs.next();
      ddl = rs.getString(2);
    }
    String run = creation.ddl(dest, db, table, ddl);
    try (Statement s = dest.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + Jdbc.quote(destDb));
      s.execute("USE " + Jdbc.quote(destDb));
      s.execute(run);
    } catch (SQLException e) {
      // e.g. no CREATE privilege: a clear, non-retried error naming the server, user and table
      FerryException f = Jdbc.classify(e, job.destination(), "destination", job.id());
      String needs = f.code().endsWith("_PRIVILEGES") ? ", which needs the CREATE privilege on " + destDb : "";
      throw new FerryException(f.code(), f.getMessage() + " (creating " + destDb + "." + table + needs + ")",
          f.remedy(), f.retriable(), e);
    }
    LOG.info("job {}: created destination table {}.{} from the source's definition{}", job.id(), destDb, table,
        run.equals(ddl) ? "" : " (its secondary keys follow once it is copied)");
  }

  /** Which databases the destination's user holds {@code privilege} on, as {@link #check} read the grants. */
  public Predicate<String> granted(String privilege) {
    if (grants == null) {
      throw new IllegalStateException("check() reads the grants first");
    }
    Grants read = grants;
    return db -> read.has(db, privilege);
  }

  /** A readable description of how two definitions differ, or null when they have the same shape. */
  public static String difference(TableDef source, TableDef dest) {
    List<String> diffs = new ArrayList<>();
    for (ColumnDef c : source.columns()) {
      var other = dest.column(c.name());
      if (other.isEmpty()) {
        diffs.add("column " + c.name() + " is missing");
      } else if (!other.get().comparableType().equals(c.comparableType())) {
        diffs.add("column " + c.name() + " is " + c.columnType() + " on the source but " + other.get().columnType()
            + " on the destination");
      }
    }
    for (ColumnDef c : dest.columns()) {
      if (source.column(c.name()).isEmpty() && !c.generated()) {
        diffs.add("column " + c.name() + " exists only on the destination");
      }
    }
    return diffs.isEmpty() ? null : String.join(", ", diffs);
  }
}
