package io.ferry.worker;

import io.ferry.worker.error.FerryException;

/**
 * Hears about a job from its runner thread. Implementations must return quickly and never throw; a
 * Vert.x caller hands each call to its event loop ({@code runOnContext}).
 */
public interface JobListener {
  /** The job changed state; {@code error} is set for ERROR and PAUSED (and for a retried failure). */
  default void onState(String jobId, JobState state, FerryException error) {}

  /** A destination transaction committed (rows and checkpoint together). */
  default void onCheckpoint(String jobId, JobStats stats) {}

  JobListener NONE = new JobListener() {};
}
