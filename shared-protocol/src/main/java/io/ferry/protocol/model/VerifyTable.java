package io.ferry.protocol.model;

import io.ferry.protocol.Checks;
import java.util.List;

/**
 * One table's result in a verify report.
 *
 * @param mismatches the first differing keys ({@code col=value,...}), at most a few
 */
public record VerifyTable(String table, boolean match, long rowsChecked, List<String> mismatches) {
  public VerifyTable {
    Checks.notBlank("table", table);
    Checks.atLeast("rowsChecked", rowsChecked, 0);
    mismatches = List.copyOf(mismatches == null ? List.of() : mismatches);
  }
}
