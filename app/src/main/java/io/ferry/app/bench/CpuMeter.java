package io.ferry.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** CPU and heap readings: this JVM, its threads, and other processes (mariadbd) through /proc. */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private CpuMeter() {}

  /** CPU seconds this JVM has used (all threads, including GC and JIT). */
  static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /** CPU seconds (user + system) a process has used, from /proc/PID/stat; NaN when unreadable. */
  static double processCpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": field 3 is state at index 0, so utime (14) is index 11 and stime (15) index 12
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds per live thread id. */
  static Map<Long, Double> threadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Double> out = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      long ns = mx.getThreadCpuTime(id);
      if (ns >= 0) {
        out.put(id, ns / 1e9);
      }
    }
    return out;
  }

  /** CPU seconds used since {@code before} by each live thread, keyed by thread name (threads summed by name). */
  static Map<String, Double> threadCpuSince(Map<Long, Double> before) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Double> out = new TreeMap<>();
    threadCpu().forEach((id, now) -> {
      ThreadInfo info = mx.getThreadInfo(id);
      if (info != null) {
        out.merge(info.getThreadName(), now - before.getOrDefault(id, 0.0), Double::sum);
      }
    });
    return out;
  }

  /** Resets the peak usage of every heap pool. */
  static void resetHeapPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last reset, in MiB (an upper bound of the true peak). */
  static double heapPeakMiB() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum / (1024.0 * 1024.0);
  }

  /** Heap in use now, in MiB. */
  static double heapUsedMiB() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }
}
