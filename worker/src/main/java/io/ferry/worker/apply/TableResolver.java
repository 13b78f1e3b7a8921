package io.ferry.worker.apply;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.schema.ColumnDef;
import io.ferry.worker.schema.SchemaHistory;
import io.ferry.worker.schema.SchemaReader;
import io.ferry.worker.schema.TableDef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link TableWriter} for each table-map shape. Column names and signedness come from the
 * table map when the source logs them ({@code binlog_row_metadata=FULL}); otherwise from the job's
 * {@link SchemaHistory}, checked against the table map's column count. Destination columns are
 * matched by name; generated columns are skipped. Owned by the applier thread.
 */
final class TableResolver {
  private static final int STRING = 254;
  /** The destination's integer column types (an identity of one of them lets an update name a key range). */
  private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

  private final JobConfig job;
  private final Connection destination;
  private final SourceSchema sourceNow;
  private final SchemaHistory history;
  private final Map<Long, Cached> writers = new HashMap<>();
  /** Destination tables read so far (null: no such table), with the columns of their unique keys. */
  private final Map<String, SchemaReader.Keyed> destinationTables = new HashMap<>();

  private record Cached(TableMapEventData map, TableWriter writer) {}

  TableResolver(JobConfig job, Connection destination, SourceSchema sourceNow, SchemaHistory history) {
    this.job = job;
    this.destination = destination;
    this.sourceNow = sourceNow;
    this.history = history;
  }

  /** Forgets every cached shape (after DDL). */
  void invalidate() {
    writers.clear();
    destinationTables.clear();
  }

  TableWriter writerFor(TableMapEventData map) throws SQLException {
    Cached cached = writers.get(map.getTableId());
    if (cached != null && sameShape(cached.map, map)) {
      return cached.writer;
    }
    TableWriter writer = build(map);
    writers.put(map.getTableId(), new Cached(map, writer));
    return writer;
  }

  private static boolean sameShape(TableMapEventData a, TableMapEventData b) {
    return a == b || a.getDatabase().equals(b.getDatabase()) && a.getTable().equals(b.getTable())
        && Arrays.equals(a.getColumnTypes(), b.getColumnTypes()) && Arrays.equals(a.getColumnMetadata(), b.getColumnMetadata());
  }

  private TableWriter build(TableMapEventData map) throws SQLException {
    String db = map.getDatabase();
    String table = map.getTable();
    String sourceName = db + "." + table;
    int n = map.getColumnTypes().length;
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      types[i] = realType(map.getColumnTypes()[i] & 0xFF, map.getColumnMetadata()[i]);
    }
    List<String> names;
    boolean[] unsigned = new boolean[n];
    TableMapEventMetadata meta = map.getEventMetadata();
    if (meta != null && meta.getColumnNames() != null && meta.getColumnNames().size() == n) {
      names = meta.getColumnNames();
      // The server logs one SIGNEDNESS bit per numeric column; the connector hands them back spread out
      // by column ordinal (the bit of column i is at index i, non-numeric columns have none).
      BitSet signedness = meta.getSignedness();
      for (int i = 0; i < n; i++) {
        unsigned[i] = signedness != null && signedness.get(i);
      }
    } else {
      TableDef def = history.get(db, table);
      if (def == null) {
        throw FerryException.fatal("SCHEMA_UNKNOWN", "job " + job.id() + ": no column names for " + sourceName
            + " (the source does not log them and the schema history does not know the table)",
            "Set binlog_row_metadata=FULL on the source (MySQL 8.0.1+/MariaDB 10.5+), or restart the job so it "
            + "records the table's definition.");
      }
      if (def.columns().size() != n) {
        throw FerryException.fatal("SCHEMA_MISMATCH", "job " + job.id() + ": the binlog has " + n + " columns for "
            + sourceName + " but the schema history has " + def.columns().size(),
            "The table changed at a point the history does not know. Set binlog_row_metadata=FULL on the source, "
            + "or re-copy the table.");
      }
      names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ColumnDef c = def.columns().get(i);
        names.add(c.name());
        unsigned[i] = c.unsigned();
      }
    }
    return mapToDestination(map, sourceName, names, types, unsigned);
  }

  private TableWriter mapToDestination(TableMapEventData map, String sourceName, List<String> names, int[] types,
                                       boolean[] unsigned) throws SQLException {
    String destDb = job.destinationDatabase(map.getDatabase());
    SchemaReader.Keyed keyed = destinationTable(destDb, map.getTable());
    if (keyed == null) {
      throw FerryException.fatal("DESTINATION_TABLE_MISSING", "job " + job.id() + ": destination table " + destDb + "."
          + map.getTable() + " (for " + sourceName + ") does not exist on " + job.destination().describe(),
          "Create it with the source's definition as of the job's position, then restart the job.");
    }
    TableDef dest = keyed.def();
    List<Integer> source = new ArrayList<>();
    List<String> destNames = new ArrayList<>();
    TableDef current = null;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      var column = dest.column(name);
      if (column.isEmpty()) {
        current = current != null ? current : sourceNow.read(map.getDatabase(), map.getTable());
        if (current != null && current.column(name).isEmpty()) {
          continue; // dropped on the source since this event: the final state has no such column either
        }
        throw FerryException.fatal("DESTINATION_SHAPE", "job " + job.id() + ": destination table " + destDb + "."
            + map.getTable() + " on " + job.destination().describe() + " has no column " + name + " that "
            + sourceName + " has",
            "Give the destination table the source's shape (ALTER TABLE ... ADD COLUMN " + name + " ...), then restart.");
      }
      if (!column.get().generated()) {
        source.add(i);
        destNames.add(column.get().name());
      }
    }
    List<String> identity = dest.identity();
    List<Integer> key = TableWriter.indexesOf(destNames, identity);
    if (key.size() != identity.size()) {
      key = List.of(); // identity columns not all logged (should not happen with FULL images): match whole rows
    }
    // A unique key over a column Ferry does not write (a generated one, or one only the destination has)
    // can change with any column: then every update of the table is written whole.
    Set<String> uniqueColumns = keyed.uniqueColumns();
    Set<String> written = new HashSet<>();
    destNames.forEach(n -> written.add(n.toLowerCase(Locale.ROOT)));
    boolean[] uniqueKeyed = new boolean[destNames.size()];
    for (int i = 0; i < uniqueKeyed.length; i++) {
      uniqueKeyed[i] = uniqueColumns.contains(destNames.get(i).toLowerCase(Locale.ROOT));
    }
    boolean integerKey = identity.size() == 1
        && dest.column(identity.get(0)).map(c -> INTEGER_TYPES.contains(c.dataType().toLowerCase(Locale.ROOT))).orElse(false);
    return new TableWriter(sourceName, destDb, map.getTable(), names.size(),
        source.stream().mapToInt(Integer::intValue).toArray(), destNames.toArray(String[]::new), types, unsigned,
        key.stream().mapToInt(Integer::intValue).toArray(), uniqueKeyed, !written.containsAll(uniqueColumns), integerKey);
  }

  /** The destination table as {@link SchemaReader#readKeyed} reads it, once per table until {@link #invalidate}. */
  private SchemaReader.Keyed destinationTable(String db, String table) throws SQLException {
    String k = db + "." + table;
    if (!destinationTables.containsKey(k)) {
      destinationTables.put(k, SchemaReader.readKeyed(destination, db, table));
    }
    return destinationTables.get(k);
  }

  /** ENUM and SET are logged as STRING with the real type in the metadata's high byte. */
  static int realType(int code, int meta) {
    if (code == STRING && meta >= 256) {
      int real = meta >> 8;
      if (real == 247 || real == 248) {
        return real;
      }
    }
    return code;
  }
}
