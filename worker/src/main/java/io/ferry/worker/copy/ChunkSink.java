package io.ferry.worker.copy;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * Writes a lane's chunks on a thread of its own, one at a time, so that the lane reads the next chunk
 * from the source while the destination loads the last one. Each chunk's destination transaction
 * (fence, rows, progress, commit) is one task; the lane waits for the last one before it ends its step.
 */
final class ChunkSink implements AutoCloseable {
  private final ExecutorService thread;
  private Future<?> inflight;

  /** One chunk's destination transaction. */
  interface Task {
    void run() throws SQLException;
  }

  ChunkSink(String jobId, int lane) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(() -> {
        MDC.put("job", jobId); // the job id on every line this thread logs
        r.run();
      }, "ferry-copy-" + jobId + "-" + lane);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code task} after the task before has ended (whose failure is thrown here). */
  void submit(Task task) throws SQLException {
    await();
    inflight = thread.submit(() -> {
      task.run();
      return null;
    });
  }

  /** Waits for the write in flight; its failure is thrown here. */
  void await() throws SQLException {
    Future<?> f = inflight;
    inflight = null;
    if (f == null) {
      return;
    }
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while a chunk was written", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new SQLException(e.getCause());
    }
  }

  /** Waits for the write in flight and forgets how it ended (the caller is failing anyway). */
  void settle() {
    try {
      await();
    } catch (SQLException | RuntimeException e) {
      // the caller's failure is the one reported
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
