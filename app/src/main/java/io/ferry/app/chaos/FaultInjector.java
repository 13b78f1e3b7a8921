package io.ferry.app.chaos;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.net.TcpProxy;
import java.util.Random;

/**
 * Injects one {@link Fault} at a time through the TCP proxies, the job's process or the destination server,
 * and heals it again; durations come from the run's seeded random.
 */
final class FaultInjector {
  private final Random random;
  private final MariaDbServer destination;

  FaultInjector(Random random, MariaDbServer destination) {
    this.random = random;
    this.destination = destination;
  }

  /**
   * Injects the fault and returns once it is over (healed, restarted). {@code dstBaseline} is the bandwidth
   * limit the destination proxy goes back to (0: none).
   */
  void inject(Fault fault, ChaosChild child, TcpProxy srcProxy, TcpProxy dstProxy, long dstBaseline)
      throws Exception {
    TcpProxy proxy = fault.onSource() ? srcProxy : dstProxy;
    long baseline = fault.onSource() ? 0 : dstBaseline;
    switch (fault) {
      case SOURCE_RESET, DESTINATION_RESET -> {
        proxy.resetAll();
        Thread.sleep(between(500, 2_000));
      }
      case SOURCE_BLACKHOLE, DESTINATION_BLACKHOLE -> {
        proxy.blackhole();
        Thread.sleep(between(4_000, 9_000));
        heal(proxy, baseline);
      }
      case SOURCE_LATENCY, DESTINATION_LATENCY -> {
        proxy.latency(between(50, 300));
        Thread.sleep(between(3_000, 6_000));
        heal(proxy, baseline);
      }
      case SOURCE_BANDWIDTH, DESTINATION_BANDWIDTH -> {
        proxy.bandwidth(between(20_000, 100_000));
        Thread.sleep(between(3_000, 6_000));
        heal(proxy, baseline);
      }
      case WORKER_KILL -> {
        child.kill9();
        Thread.sleep(between(200, 2_000));
        child.start();
      }
      case DESTINATION_RESTART -> {
        destination.kill();
        Thread.sleep(between(200, 2_000));
        destination.restart();
      }
    }
  }

  private static void heal(TcpProxy proxy, long baseline) {
    proxy.heal();
    if (baseline > 0) {
      proxy.bandwidth(baseline);
    }
  }

  private long between(long low, long high) {
    return low + (long) (random.nextDouble() * (high - low));
  }
}
