package io.ferry.worker.copy;

import io.ferry.worker.checkpoint.CheckpointStore;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.jdbc.LocalFiles;
import io.ferry.worker.jdbc.SessionWatchdog;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a job's copy lanes share with their {@link InitialCopy}.
 *
 * @param epoch the epoch that owns the job (fences every lane's transaction)
 * @param watchdog ends the lanes' sessions when a server stops answering; null: none
 * @param plans the tables' plans by {@code db.table}; a lane removes one whose definition changed, and
 *     the next step plans it again
 * @param rowsThisRun rows the lanes copied in this run (the copy's rate)
 */
record LaneContext(JobConfig job, StartPosition.Snapshot options, CopyStore store, CheckpointStore checkpoints,
                   long epoch, LocalFiles files, Clock clock, SessionWatchdog watchdog, Map<String, TablePlan> plans,
                   AtomicLong rowsThisRun) {}
