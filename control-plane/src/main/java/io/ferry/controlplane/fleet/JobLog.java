package io.ferry.controlplane.fleet;

import org.slf4j.MDC;

/** Log lines about one job carry its id in the MDC ({@code job}), as the workers' lines do. */
final class JobLog {
  private JobLog() {}

  /** Runs {@code log} with the job's id in the MDC, then takes it out (the thread is an event loop). */
  static void about(String jobId, Runnable log) {
    try (var mdc = MDC.putCloseable("job", jobId)) {
      log.run();
    }
  }
}
