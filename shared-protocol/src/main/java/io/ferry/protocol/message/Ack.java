package io.ferry.protocol.message;

/** A positive reply to a request; the event bus correlates it with the request. */
public record Ack() implements Message {}
