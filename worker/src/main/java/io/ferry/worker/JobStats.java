package io.ferry.worker;

import io.ferry.worker.position.BinlogPosition;

/**
 * A snapshot of a job's progress: the committed position, rows and source transactions applied since
 * the runner started, and the lag (seconds between the last applied source commit and now; 0 when
 * caught up).
 */
public record JobStats(BinlogPosition position, long rowsApplied, long transactionsApplied, double lagSeconds,
                       long epoch) {}
