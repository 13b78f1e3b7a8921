package io.ferry.protocol.message;

/**
 * A message on the Ferry event bus, one record per wire message (like the binlog client's one class per
 * event type). Encoded to JSON by {@code io.ferry.protocol.codec.MessageCodec}.
 *
 * <p>Worker to control plane: {@link RegisterWorker}, {@link Heartbeat}, {@link Checkpoint},
 * {@link JobError}, {@link VerifyProgress}, {@link VerifyResult}. Control plane to worker: {@link WorkerRegistered},
 * {@link AssignJob}, {@link RevokeJob}, {@link DrainWorker}, {@link VerifyJob}. Replies either way: {@link Ack}, {@link Nack}.
 */
public sealed interface Message
    permits RegisterWorker, WorkerRegistered, Heartbeat, AssignJob, RevokeJob, Checkpoint, JobError,
        DrainWorker, VerifyJob, VerifyResult, VerifyProgress, Ack, Nack {}
