package io.ferry.controlplane.history;

/**
 * A job's figures over one time bucket.
 *
 * @param startMillis when the bucket starts (epoch milliseconds)
 * @param lagSeconds the highest lag reported in the bucket, or null when none was known
 * @param rowsApplied the owner's count at the bucket's last report
 * @param rowsPerSecond rows applied per second since the previous bucket's last report, or null for the first
 * @param eventsPerSecond the mean of the binlog event rates reported in the bucket
 */
public record Sample(long startMillis, Double lagSeconds, long rowsApplied, Double rowsPerSecond,
    double eventsPerSecond) {}
