package io.ferry.protocol.model;

/** A job's state, with the names of the public API. */
public enum JobState { CREATED, STARTING, SNAPSHOT, RUNNING, PAUSED, ERROR, STOPPED }
