// Users, API tokens, sessions, server secrets and the audit log (steps 2..).
// See schema_parts.h for how the parts are numbered; src/security and
// store/audit.cc are the only code that writes these tables.
#include "store/schema_parts.h"

namespace sg::store {

std::vector<Migration> SecurityMigrations() {
  return {
      {2, "users, api tokens, sessions, server state, audit log",
       // SQLite
       R"sql(
-- Passwords only as Argon2id strings ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'reporter')),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);

-- Tokens only as the SHA-256 of the token text (lowercase hex). A name is
-- unique among live tokens, so a revoked name can be issued again.
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'reporter')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- Sessions live here, not in a server process, so any server sharing the
-- database serves any session. Only the SHA-256 of the session id is kept.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Server secrets (hex) and one-time state such as the bootstrap admin,
-- shared by every server process.
CREATE TABLE security_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- The hash-chained audit log (store/audit.h). Ids are assigned by
-- AppendAudit (last id + 1 under the write lock), never by a sequence: a
-- sequence skips numbers on rollback, and a gap means a deleted entry.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  address TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
-- Append-only against mistakes; the hash chain catches whoever drops these.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql",
       // PostgreSQL
       R"sql(
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'reporter')),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);

CREATE TABLE api_tokens (
  id BIGSERIAL PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'reporter')),
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

CREATE TABLE sessions (
  id_hash TEXT COLLATE "C" PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE security_state (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Ids assigned by AppendAudit, not a sequence (sequences skip on rollback).
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  time TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  object_type TEXT COLLATE "C" NOT NULL,
  object_id TEXT COLLATE "C" NOT NULL,
  address TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
)sql"},
  };
}

}  // namespace sg::store
