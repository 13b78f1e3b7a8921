package io.ferry.worker;

import java.time.Clock;
import java.time.Duration;

/**
 * How a runner runs a job, beyond the job's own settings: the epoch it claims (0 = the stored one + 1),
 * what to do with a DDL that paused the job when it resumes, and the retry budget.
 *
 * @param resumeDdl null, or EXEC / SKIP for the statement the job stopped at
 */
public record JobOptions(long epoch, ResumeDdl resumeDdl, int retryBudget, Duration maxBackoff, Clock clock) {
  public static final int DEFAULT_RETRY_BUDGET = 20;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final JobOptions DEFAULTS =
      new JobOptions(0, null, DEFAULT_RETRY_BUDGET, DEFAULT_MAX_BACKOFF, Clock.systemUTC());

  /** The decision for a DDL the job paused at under the {@code stop} policy. */
  public enum ResumeDdl { EXEC, SKIP }

  public JobOptions withResumeDdl(ResumeDdl decision) {
    return new JobOptions(epoch, decision, retryBudget, maxBackoff, clock);
  }

  public JobOptions withEpoch(long value) {
    return new JobOptions(value, resumeDdl, retryBudget, maxBackoff, clock);
  }
}
