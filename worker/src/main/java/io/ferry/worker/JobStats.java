package io.ferry.worker;

import io.ferry.worker.copy.CopyProgress;
import io.ferry.worker.position.BinlogPosition;

/**
 * A snapshot of a job's progress: the committed position, rows and source transactions applied since
 * the runner started, the lag (seconds between the last applied source commit and now, or the oldest
 * change taken and not committed yet when that is older; 0 when caught up), and the initial copy's
 * progress (null when the job has no copy to do).
 */
public record JobStats(BinlogPosition position, long rowsApplied, long transactionsApplied, double lagSeconds,
                       long epoch, CopyProgress copy) {}
