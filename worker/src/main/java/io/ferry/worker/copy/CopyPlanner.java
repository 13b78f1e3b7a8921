package io.ferry.worker.copy;

import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.preflight.Problem;
import io.ferry.worker.schema.SchemaReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plans a new job's initial copy (the ranges {@link InitialCopy} then copies) before its first checkpoint. */
public final class CopyPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(CopyPlanner.class);

  private CopyPlanner() {}

  /**
   * Plans the copy of a new job: every table needs a key (primary, else NOT NULL unique) unless the job
   * says to copy keyless tables whole, and every destination table must be empty unless the job says
   * to overwrite (then it is emptied). A table with enough rows and a key whose values travel exactly is
   * split into up to {@code parallel} key ranges ({@link KeyRanges#bounds}). Records the plan in the caller's open destination
   * transaction, which commits it with the first checkpoint. Returns the problems found (nothing is
   * recorded then).
   */
  public static List<Problem> plan(JobConfig job, Connection source, Connection dest, List<String[]> tables)
      throws SQLException {
    StartPosition.Snapshot options = (StartPosition.Snapshot) job.start();
    CopyStore store = new CopyStore(job.tuning().ferrySchema(), job.id());
    store.ensureTable(dest);
    List<Problem> problems = new ArrayList<>();
    List<String> keyless = new ArrayList<>();
    List<String[]> filled = new ArrayList<>();
    Map<String, TablePlan> found = new LinkedHashMap<>();
    for (String[] t : tables) {
      TablePlan plan = TablePlan.read(source, t[0], t[1], job.destinationDatabase(t[0]));
      found.put(t[0] + "." + t[1], plan);
      if (plan != null && !plan.hasKey() && options.keyless() == StartPosition.Snapshot.Keyless.REFUSE) {
        keyless.add(t[0] + "." + t[1]);
      } else if (plan != null && hasRows(dest, plan.destDatabase, t[1])) {
        filled.add(new String[] {plan.destDatabase, t[1]});
      }
    }
    if (!keyless.isEmpty()) {
      problems.add(new Problem("COPY_NO_KEY", "job " + job.id() + ": the initial copy needs a primary key or a NOT NULL"
          + " unique key, and these source tables have neither: " + String.join(", ", keyless),
          "Add a primary key to each, or exclude them from the job (tables.exclude), or have them copied whole in"
              + " one consistent read (start: {snapshot: {keyless: copy}}), or start the job with start: current and"
              + " copy them yourself."));
    }
    if (!filled.isEmpty() && !options.overwrite()) {
      problems.add(new Problem("COPY_DESTINATION_NOT_EMPTY", "job " + job.id() + ": destination " + job.destination()
          .describe() + " already has rows in " + String.join(", ", filled.stream().map(f -> f[0] + "." + f[1]).toList()),
          "Empty those tables, or start the job "
          + "with start: {snapshot: {overwrite: true}} to have Ferry empty them, or use start: current."));
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    try (Statement s = dest.createStatement()) {
      for (String[] f : filled) {
        s.execute("TRUNCATE TABLE " + Jdbc.quote(f[0], f[1]));
        LOG.info("job {}: emptied destination table {}.{} for the initial copy (overwrite)", job.id(), f[0], f[1]);
      }
    }
    List<CopyStore.TableProgress> planned = new ArrayList<>();
    for (String[] t : tables) {
      long estimate = KeyRanges.estimate(source, t[0], t[1]);
      TablePlan plan = found.get(t[0] + "." + t[1]);
      if (plan != null && !plan.hasKey()) {
        planned.add(new CopyStore.TableProgress(planned.size(), t[0], t[1], estimate, null, null, true, 0, false, null));
        continue;
      }
      long walk = System.nanoTime();
      List<CopyStore.TableProgress> ranges = KeyRanges.ranges(planned.size(), t[0], t[1], estimate,
          plan == null ? List.of() : KeyRanges.bounds(source, plan, estimate, options));
      planned.addAll(ranges);
      if (ranges.size() > 1) {
        LOG.info("job {}: {}.{} is copied in {} key ranges (bounds read in {} ms)", job.id(), t[0], t[1],
            ranges.size(), (System.nanoTime() - walk) / 1_000_000);
      }
    }
    store.plan(dest, planned);
    return List.of();
  }

  private static boolean hasRows(Connection dest, String db, String table) throws SQLException {
    if (SchemaReader.read(dest, db, table) == null) {
      return false;
    }
    try (Statement s = dest.createStatement();
         ResultSet rs = s.executeQuery("SELECT 1 FROM " + Jdbc.quote(db, table) + " LIMIT 1")) {
      return rs.next();
    }
  }
}
