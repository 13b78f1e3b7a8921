package io.ferry.worker.apply;

import io.ferry.worker.schema.TableDef;
import java.sql.SQLException;

/** Reads the source's current definition of a table (used to tell a column dropped since an event). */
@FunctionalInterface
public interface SourceSchema {
  TableDef read(String database, String table) throws SQLException;
}
