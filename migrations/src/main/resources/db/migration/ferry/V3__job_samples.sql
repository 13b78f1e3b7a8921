-- The dashboard's lag and throughput charts: each job's heartbeat figures in time buckets over the
-- last hour (control plane JobHistory), so a restarted control plane draws the hour it had seen.
-- Rows older than the window are deleted by the control plane; a deleted job's rows go with them.

CREATE TABLE job_samples (
  job_id            VARCHAR(64) NOT NULL,
  bucket_start      BIGINT      NOT NULL,  -- epoch milliseconds
  last_at           BIGINT      NOT NULL,  -- the bucket's last report, epoch milliseconds
  epoch             BIGINT      NOT NULL,  -- the owner's epoch at that report
  lag_seconds       DOUBLE      NULL,
  rows_applied      BIGINT      NOT NULL,
  rows_per_second   DOUBLE      NULL,
  events_per_second DOUBLE      NOT NULL,
  PRIMARY KEY (job_id, bucket_start),
  KEY job_samples_age (bucket_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
