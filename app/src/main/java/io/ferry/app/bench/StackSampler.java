package io.ferry.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crude sampling profiler for {@code --profile}: every 10 ms it takes the stacks of the Ferry threads and counts,
 * per thread, the first frame inside Ferry or the JDBC driver / binlog client ("where the thread is") and whether it
 * was RUNNABLE. Enough to see whether Ferry waits on the destination, the source, or its own code.
 */
final class StackSampler implements AutoCloseable {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final int DEPTH = 40;

  private final Map<String, Map<String, Integer>> counts = new HashMap<>();
  private final AtomicLong samples = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  StackSampler() {
    thread = new Thread(this::loop, "bench-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    while (running) {
      for (ThreadInfo info : mx.dumpAllThreads(false, false, DEPTH)) {
        if (info.getThreadName().startsWith("ferry-")) {
          synchronized (counts) {
            counts.computeIfAbsent(info.getThreadName(), k -> new HashMap<>()).merge(where(info), 1, Integer::sum);
          }
        }
      }
      samples.incrementAndGet();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The state plus the innermost frame, and the innermost io.ferry frame when it is not the same. */
  private static String where(ThreadInfo info) {
    StackTraceElement[] st = info.getStackTrace();
    if (st.length == 0) {
      return info.getThreadState().toString();
    }
    String top = frame(st[0]);
    String ferry = null;
    for (StackTraceElement e : st) {
      if (e.getClassName().startsWith("io.ferry.")) {
        ferry = frame(e);
        break;
      }
    }
    return info.getThreadState() + " " + top + (ferry == null || ferry.equals(top) ? "" : " <- " + ferry);
  }

  private static String frame(StackTraceElement e) {
    String c = e.getClassName();
    return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(1_000);
  }

  /** Logs the top {@code n} places per thread, as a share of that thread's samples. */
  void print(int n) {
    CONSOLE.info("  Ferry stack samples every 10 ms ({} rounds; state, innermost frame <- innermost Ferry frame):",
        samples.get());
    synchronized (counts) {
      counts.forEach((name, places) -> {
        int total = places.values().stream().mapToInt(Integer::intValue).sum();
        CONSOLE.info("    {} ({} samples)", name, total);
        places.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
            .forEach(e -> CONSOLE.info(String.format(Locale.ROOT, "      %5.1f%%  %s", 100.0 * e.getValue() / total,
                e.getKey())));
      });
    }
  }
}
