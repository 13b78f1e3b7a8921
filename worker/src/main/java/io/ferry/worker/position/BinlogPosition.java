package io.ferry.worker.position;

import java.util.Comparator;
import java.util.Objects;

/**
 * A restart position in the source's binary log: the file and offset where the next source
 * transaction begins (never a point inside a transaction), and the GTID set executed up to there
 * (MariaDB {@code domain-server-seq,...} or MySQL {@code uuid:1-10,...}; may be empty).
 */
public record BinlogPosition(String file, long position, String gtidSet) implements Comparable<BinlogPosition> {
  private static final Comparator<BinlogPosition> ORDER =
      Comparator.comparingLong((BinlogPosition p) -> fileNumber(p.file)).thenComparingLong(BinlogPosition::position);

  public BinlogPosition {
    Objects.requireNonNull(file, "file");
    gtidSet = gtidSet == null ? "" : gtidSet;
  }

  public BinlogPosition withGtidSet(String gtids) {
    return new BinlogPosition(file, position, gtids);
  }

  /** True when this position lies strictly after {@code other} in the same server's binlog sequence. */
  public boolean isAfter(BinlogPosition other) {
    return compareTo(other) > 0;
  }

  @Override
  public int compareTo(BinlogPosition other) {
    return ORDER.compare(this, other);
  }

  /** The numeric suffix of a binlog file name ({@code mysql-bin.000042} is 42); files sort by it. */
  public static long fileNumber(String file) {
    int dot = file.lastIndexOf('.');
    try {
      return Long.parseLong(file.substring(dot + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return file + ":" + position + (gtidSet.isEmpty() ? "" : " gtid=" + gtidSet);
  }
}
