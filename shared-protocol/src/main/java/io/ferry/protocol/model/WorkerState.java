package io.ferry.protocol.model;

/**
 * A worker's state. A worker reports {@code UP} or {@code DRAINING}; {@code LOST} is only ever set by
 * the control plane when heartbeats stop.
 */
public enum WorkerState { UP, DRAINING, LOST }
