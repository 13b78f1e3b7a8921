package io.ferry.app.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options the {@code ferry} launcher (and the container's entrypoint) choose by themselves, for the
 * bench's child processes, which start Ferry as the launcher would: on a host of two CPUs or fewer, the serial
 * garbage collector unless the given options name a collector. There G1's concurrent threads and write
 * barriers cost Ferry about a third of its CPU, which it shares with the databases (docs/PERFORMANCE.md).
 */
final class LauncherJvm {
  static final String SERIAL_GC = "-XX:+UseSerialGC";

  private LauncherJvm() {}

  /** {@code given} (space-separated, may be blank) with what the launcher adds on this machine. */
  static List<String> options(String given) {
    return options(given.isBlank() ? List.of() : Arrays.asList(given.trim().split("\\s+")),
        Runtime.getRuntime().availableProcessors());
  }

  static List<String> options(List<String> given, int cpus) {
    List<String> out = new ArrayList<>();
    boolean namesCollector = given.stream().anyMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"));
    if (cpus <= 2 && !namesCollector) {
      out.add(SERIAL_GC);
    }
    out.addAll(given);
    return out;
  }
}
