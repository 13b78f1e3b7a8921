package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import io.ferry.protocol.InvalidFieldException;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.WorkerState;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sent by every worker each second (to {@code Addresses.HEARTBEAT}) with the status of each job it runs.
 *
 * @param state {@link WorkerState#UP} or {@link WorkerState#DRAINING}; never {@code LOST}
 * @param jobs one status per job, job ids unique; immutable
 */
public record Heartbeat(String nodeId, Instant sentAt, WorkerState state, List<JobStatus> jobs) implements Message {
  public Heartbeat {
    Checks.nodeId("nodeId", nodeId);
    Checks.notNull("sentAt", sentAt);
    Checks.notNull("state", state);
    if (state == WorkerState.LOST) {
      throw new InvalidFieldException("state", "must be UP or DRAINING; LOST is set by the control plane only");
    }
    jobs = List.copyOf(Checks.notNull("jobs", jobs));
    Set<String> seen = new HashSet<>();
    for (JobStatus job : jobs) {
      if (!seen.add(job.jobId())) {
        throw new InvalidFieldException("jobs", "lists job " + job.jobId() + " twice");
      }
    }
  }
}
