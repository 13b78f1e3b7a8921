package io.ferry.worker.node;

import io.ferry.protocol.message.VerifyJob;
import io.ferry.protocol.message.VerifyProgress;
import io.ferry.protocol.message.VerifyResult;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.VerifyTable;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.copy.Verifier;
import io.ferry.worker.error.FerryException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Runs a {@link VerifyJob} for a job this node owns and turns the outcome into a {@link VerifyResult}. */
final class JobVerify {
  /** How long verify waits for the job to apply the source's position. */
  static final Duration CATCH_UP = Duration.ofMinutes(2);
  /** Differing keys listed per table. */
  static final int MAX_KEYS = 20;

  private JobVerify() {}

  /** How often a running verify reports its progress. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  /** Blocks for as long as the comparison takes; call it on a worker thread. */
  static VerifyResult run(JobConfig job, VerifyJob request, Clock clock, Verifier.Progress progress) {
    try {
      Verifier.Report report = new Verifier(job, CATCH_UP, MAX_KEYS, clock).run(progress);
      List<VerifyTable> tables = report.tables().stream()
          .map(t -> new VerifyTable(t.table(), t.match(), t.rowsChecked(), t.mismatches())).toList();
      return new VerifyResult(request.jobId(), request.verifyId(), report.match() ? "match" : "mismatch", tables, null,
          clock.instant());
    } catch (FerryException e) {
      return failed(request, new ErrorInfo(e.code(), e.getMessage(), e.remedy() == null ? "" : e.remedy(),
          clock.instant(), e.retriable()), clock);
    } catch (RuntimeException e) {
      return failed(request, new ErrorInfo("VERIFY_FAILED", "job " + request.jobId() + ": verify failed: " + e,
          "Report this; the job itself is not affected.", clock.instant(), false), clock);
    }
  }

  /**
   * A progress listener that hands {@code send} a {@link VerifyProgress} at most every
   * {@link #PROGRESS_EVERY}, and always once every table is done.
   */
  static Verifier.Progress progress(VerifyJob request, Clock clock, Consumer<VerifyProgress> send) {
    long[] last = {-1}; // none sent yet
    return (tablesDone, tablesTotal, rowsChecked, currentTable) -> {
      long now = clock.millis();
      if (last[0] < 0 || now - last[0] >= PROGRESS_EVERY.toMillis()
          || (currentTable == null && tablesDone == tablesTotal)) {
        last[0] = now;
        send.accept(new VerifyProgress(request.jobId(), request.verifyId(), tablesDone, tablesTotal, rowsChecked,
            currentTable, clock.instant()));
      }
    };
  }

  static VerifyResult failed(VerifyJob request, ErrorInfo error, Clock clock) {
    return new VerifyResult(request.jobId(), request.verifyId(), "error", List.of(), error, clock.instant());
  }
}
