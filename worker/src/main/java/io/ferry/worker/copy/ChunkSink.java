package io.ferry.worker.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * Writes chunks on a thread of its own, one at a time, so that the copy reads the next chunk from the
 * source while the destination loads the last one. Each chunk's progress is recorded right after its
 * rows, in the same open destination transaction; the applier thread waits for the last write before
 * it touches the destination connection again (and before it commits).
 */
final class ChunkSink implements AutoCloseable {
  private final ExecutorService thread;
  private final ChunkWriter writer;
  private final CopyStore store;
  private Future<?> inflight;

  ChunkSink(String jobId, ChunkWriter writer, CopyStore store) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(() -> {
        MDC.put("job", jobId); // the job id on every line this thread logs
        r.run();
      }, "ferry-copy-" + jobId);
      t.setDaemon(true);
      return t;
    });
    this.writer = writer;
    this.store = store;
  }

  /** Writes {@code rows} and then records {@code progress}, after the chunk before has been written. */
  void submit(Connection dest, TablePlan plan, List<byte[][]> rows, CopyStore.TableProgress progress)
      throws SQLException {
    await();
    inflight = thread.submit(() -> {
      writer.write(dest, plan, rows);
      store.record(dest, progress);
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
