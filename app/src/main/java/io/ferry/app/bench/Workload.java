package io.ferry.app.bench;

/**
 * The sysbench write workloads the bench can build a backlog of, with the row changes each
 * transaction makes. Each picks its tables and ids uniformly at random.
 */
enum Workload {
  /** UPDATE k, UPDATE c, DELETE + INSERT of one id. */
  OLTP_WRITE_ONLY(4),
  /** One INSERT of a new row (the auto-increment id). */
  OLTP_INSERT(1),
  /** UPDATE k = k + 1 of one row (an indexed column). */
  OLTP_UPDATE_INDEX(1),
  /** UPDATE c of one row (a column without an index). */
  OLTP_UPDATE_NON_INDEX(1),
  /** DELETE + INSERT of one id. */
  OLTP_DELETE(2);

  final int rowChangesPerTransaction;

  Workload(int rowChangesPerTransaction) {
    this.rowChangesPerTransaction = rowChangesPerTransaction;
  }

  String sysbenchName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
