-- Ferry's metadata database: tenants, people and tokens, connections, jobs and their mirrored
-- checkpoints, job history, workers, verify reports and the audit trail.
-- Portable across MySQL 8.0+ and MariaDB 10.5+ (CHECK constraints are enforced by both).

CREATE TABLE tenants (
  id          VARCHAR(64)  NOT NULL PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY tenants_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- People who sign in to the dashboard. An admin spans all tenants (tenant_id NULL);
-- operators and viewers belong to one tenant.
CREATE TABLE users (
  id            VARCHAR(64)  NOT NULL PRIMARY KEY,
  tenant_id     VARCHAR(64)  NULL,
  name          VARCHAR(200) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  role          VARCHAR(16)  NOT NULL,
  created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  disabled_at   TIMESTAMP(6) NULL,
  UNIQUE KEY users_name (name),
  CONSTRAINT users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT users_role CHECK (role IN ('admin', 'operator', 'viewer')),
  CONSTRAINT users_scope CHECK ((role = 'admin') = (tenant_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- API tokens: only a hash is stored; the prefix finds the candidate row without scanning.
CREATE TABLE api_tokens (
  id           VARCHAR(64)  NOT NULL PRIMARY KEY,
  tenant_id    VARCHAR(64)  NULL,
  name         VARCHAR(200) NOT NULL,
  role         VARCHAR(16)  NOT NULL,
  token_prefix CHAR(12)     NOT NULL,
  token_hash   VARCHAR(255) NOT NULL,
  created_at   TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  expires_at   TIMESTAMP(6) NULL,
  revoked_at   TIMESTAMP(6) NULL,
  KEY api_tokens_prefix (token_prefix),
  CONSTRAINT api_tokens_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT api_tokens_role CHECK (role IN ('admin', 'operator', 'viewer')),
  CONSTRAINT api_tokens_scope CHECK ((role = 'admin') = (tenant_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Connection parameters are an allow-list (no raw JDBC URL). The password is AES-GCM encrypted
-- (nonce + ciphertext + tag) with the key of FERRY_SECRET_KEY_FILE; it is never returned.
CREATE TABLE connections (
  id           VARCHAR(64)   NOT NULL PRIMARY KEY,
  tenant_id    VARCHAR(64)   NOT NULL,
  name         VARCHAR(200)  NOT NULL,
  host         VARCHAR(255)  NOT NULL,
  port         INT           NOT NULL,
  user_name    VARCHAR(128)  NOT NULL,
  password_enc VARBINARY(1024) NOT NULL,
  tls          VARCHAR(16)   NOT NULL,
  ca_cert      TEXT          NULL,
  created_at   TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at   TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY connections_name (tenant_id, name),
  CONSTRAINT connections_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT connections_port CHECK (port BETWEEN 1 AND 65535),
  CONSTRAINT connections_tls CHECK (tls IN ('disabled', 'preferred', 'required', 'verify-ca'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A job's definition (spec: tables, databaseMap, start, ddl as JSON text), the state the operator
-- asked for, the state last reported, its owner and the epoch of the current assignment (fencing).
CREATE TABLE jobs (
  id             VARCHAR(64)  NOT NULL PRIMARY KEY,
  tenant_id      VARCHAR(64)  NOT NULL,
  name           VARCHAR(200) NOT NULL,
  source_id      VARCHAR(64)  NOT NULL,
  destination_id VARCHAR(64)  NOT NULL,
  spec           LONGTEXT     NOT NULL,
  desired_state  VARCHAR(16)  NOT NULL,
  state          VARCHAR(16)  NOT NULL,
  worker_id      VARCHAR(128) NULL,
  epoch          BIGINT       NOT NULL DEFAULT 0,
  error_code     VARCHAR(64)  NULL,
  error_message  TEXT         NULL,
  error_remedy   TEXT         NULL,
  error_at       TIMESTAMP(6) NULL,
  created_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY jobs_name (tenant_id, name),
  KEY jobs_worker (worker_id),
  CONSTRAINT jobs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT jobs_source FOREIGN KEY (source_id) REFERENCES connections (id),
  CONSTRAINT jobs_destination FOREIGN KEY (destination_id) REFERENCES connections (id),
  CONSTRAINT jobs_state CHECK (state IN ('CREATED', 'STARTING', 'SNAPSHOT', 'RUNNING', 'PAUSED', 'ERROR', 'STOPPED')),
  CONSTRAINT jobs_desired CHECK (desired_state IN ('RUNNING', 'PAUSED', 'STOPPED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The mirror of each job's checkpoint (the destination's _ferry.checkpoint row is the arbiter);
-- updates with an epoch below the stored one are refused by the control plane.
CREATE TABLE job_checkpoints (
  job_id            VARCHAR(64)  NOT NULL PRIMARY KEY,
  epoch             BIGINT       NOT NULL,
  binlog_file       VARCHAR(255) NULL,
  binlog_pos        BIGINT       NULL,
  gtid_set          TEXT         NULL,
  lag_seconds       DOUBLE       NULL,
  rows_applied      BIGINT       NOT NULL DEFAULT 0,
  events_per_second DOUBLE       NULL,
  updated_at        TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  CONSTRAINT job_checkpoints_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A job's history: state changes, assignments, errors, DDL decisions.
CREATE TABLE job_events (
  id      BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  job_id  VARCHAR(64)  NOT NULL,
  at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  kind    VARCHAR(32)  NOT NULL,
  epoch   BIGINT       NULL,
  detail  TEXT         NULL,
  KEY job_events_job (job_id, id),
  CONSTRAINT job_events_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE workers (
  id               VARCHAR(128) NOT NULL PRIMARY KEY,
  host             VARCHAR(255) NOT NULL,
  state            VARCHAR(16)  NOT NULL,
  capacity         INT          NOT NULL,
  protocol_version INT          NOT NULL,
  started_at       TIMESTAMP(6) NOT NULL,
  last_heartbeat   TIMESTAMP(6) NULL,
  KEY workers_state (state),
  CONSTRAINT workers_state CHECK (state IN ('UP', 'DRAINING', 'LOST'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Reports of POST /api/v1/jobs/{id}/verify.
CREATE TABLE verify_reports (
  id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  job_id      VARCHAR(64)  NOT NULL,
  state       VARCHAR(16)  NOT NULL,
  started_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  finished_at TIMESTAMP(6) NULL,
  report      LONGTEXT     NULL,
  KEY verify_reports_job (job_id, id),
  CONSTRAINT verify_reports_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every state-changing call: who, what, when, from where. Kept when the object is deleted.
CREATE TABLE audit_log (
  id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at          TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  tenant_id   VARCHAR(64)  NULL,
  actor       VARCHAR(200) NOT NULL,
  actor_kind  VARCHAR(16)  NOT NULL,
  action      VARCHAR(64)  NOT NULL,
  object_type VARCHAR(32)  NULL,
  object_id   VARCHAR(64)  NULL,
  remote_addr VARCHAR(64)  NULL,
  detail      TEXT         NULL,
  KEY audit_log_at (at),
  KEY audit_log_tenant (tenant_id, at),
  CONSTRAINT audit_log_actor_kind CHECK (actor_kind IN ('token', 'user', 'system'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
