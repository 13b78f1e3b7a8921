-- Dashboard sign-in: a session is an api_tokens row that belongs to a user (user_id set), so a
-- disabled or deleted user's sessions stop working with the user. The audit trail keeps the id of
-- the token or user that acted beside its display name.

ALTER TABLE api_tokens
  ADD COLUMN user_id VARCHAR(64) NULL AFTER tenant_id,
  ADD CONSTRAINT api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;

ALTER TABLE audit_log
  ADD COLUMN actor_id VARCHAR(64) NULL AFTER actor;
