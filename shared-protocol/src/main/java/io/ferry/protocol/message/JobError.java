package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import io.ferry.protocol.model.ErrorInfo;
import java.time.Instant;

/**
 * A job failed (sent to {@code Addresses.EVENTS}). Retriable errors are retried by the worker itself;
 * a fatal one leaves the job in {@code ERROR}. The message names the job and server, never a password.
 */
public record JobError(String jobId, long epoch, String code, String message, String remedy, Instant at,
    boolean retriable) implements Message {
  public JobError {
    Checks.id("jobId", jobId);
    Checks.epoch("epoch", epoch);
    Checks.notBlank("code", code);
    Checks.notNull("message", message);
    remedy = remedy == null ? "" : remedy;
    Checks.notNull("at", at);
  }

  /** The same error as the {@link ErrorInfo} a heartbeat's job status carries. */
  public ErrorInfo info() {
    return new ErrorInfo(code, message, remedy, at, retriable);
  }

  public static JobError of(String jobId, long epoch, ErrorInfo info) {
    return new JobError(jobId, epoch, info.code(), info.message(), info.remedy(), info.at(), info.retriable());
  }
}
