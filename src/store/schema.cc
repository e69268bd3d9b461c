// The hash-list part of the schema (step 1). Hashes are lowercase hex text;
// times are RFC 3339 UTC text (core/time.h), so both backends store the
// same values. See schema_parts.h for how the parts are numbered.
#include "store/schema_parts.h"

namespace sg::store {

std::vector<Migration> ListsMigrations() {
  return {
      {1, "store meta and hash lists",
       // SQLite
       R"sql(
CREATE TABLE store_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Bumped in the same transaction as every change to lists or entries, so a
-- matching index built from generation N is known to be stale at N+1.
INSERT INTO store_meta (key, value) VALUES ('lists_generation', '0');
-- A random id per database: a derived file (the matching index) names the
-- database it came from, so a new database never reuses an old index.
INSERT INTO store_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));

CREATE TABLE hash_lists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL DEFAULT '',
  scheme TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  -- Counts kept by the code that changes entries (matching/list_store.cc),
  -- so listing the lists does not scan millions of entries.
  entries INTEGER NOT NULL DEFAULT 0,
  removed INTEGER NOT NULL DEFAULT 0,
  pdq_entries INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE hash_list_entries (
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES hash_lists(id) ON DELETE CASCADE,
  -- 128-bit digest of (md5, sha1, sha256, pdq): one row per distinct entry.
  entry_key TEXT NOT NULL,
  md5 TEXT, sha1 TEXT, sha256 TEXT, pdq TEXT,
  category TEXT, series TEXT, victim_identified INTEGER, label TEXT,
  metadata TEXT,
  added_at TEXT NOT NULL,
  -- Removed entries stay as tombstones: what was removed, and when.
  deleted_at TEXT,
  UNIQUE (list_id, entry_key)
);
CREATE INDEX hash_list_entries_md5 ON hash_list_entries (md5) WHERE md5 IS NOT NULL;
CREATE INDEX hash_list_entries_sha1 ON hash_list_entries (sha1) WHERE sha1 IS NOT NULL;
CREATE INDEX hash_list_entries_sha256 ON hash_list_entries (sha256) WHERE sha256 IS NOT NULL;
-- Covering: building the PDQ index reads only this index, not the table.
CREATE INDEX hash_list_entries_pdq ON hash_list_entries (pdq, list_id, deleted_at) WHERE pdq IS NOT NULL;
)sql",
       // PostgreSQL
       R"sql(
CREATE TABLE store_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO store_meta (key, value) VALUES ('lists_generation', '0');
INSERT INTO store_meta (key, value) VALUES ('store_id', md5(random()::text || clock_timestamp()::text));

-- COLLATE "C": names and hex hashes sort and compare byte by byte, as in
-- SQLite, whatever the server's locale. Counts are BIGINT, as SQLite's
-- INTEGER is 64-bit.
CREATE TABLE hash_lists (
  id BIGSERIAL PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  source TEXT NOT NULL DEFAULT '',
  scheme TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  -- Counts kept by the code that changes entries (matching/list_store.cc),
  -- so listing the lists does not scan millions of entries.
  entries BIGINT NOT NULL DEFAULT 0,
  removed BIGINT NOT NULL DEFAULT 0,
  pdq_entries BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE hash_list_entries (
  id BIGSERIAL PRIMARY KEY,
  list_id BIGINT NOT NULL REFERENCES hash_lists(id) ON DELETE CASCADE,
  entry_key TEXT COLLATE "C" NOT NULL,
  md5 TEXT COLLATE "C", sha1 TEXT COLLATE "C", sha256 TEXT COLLATE "C", pdq TEXT COLLATE "C",
  category TEXT, series TEXT, victim_identified INTEGER, label TEXT,
  metadata TEXT,
  added_at TEXT NOT NULL,
  deleted_at TEXT,
  UNIQUE (list_id, entry_key)
);
CREATE INDEX hash_list_entries_md5 ON hash_list_entries (md5) WHERE md5 IS NOT NULL;
CREATE INDEX hash_list_entries_sha1 ON hash_list_entries (sha1) WHERE sha1 IS NOT NULL;
CREATE INDEX hash_list_entries_sha256 ON hash_list_entries (sha256) WHERE sha256 IS NOT NULL;
-- Covering: building the PDQ index reads only this index, not the table.
CREATE INDEX hash_list_entries_pdq ON hash_list_entries (pdq, list_id, deleted_at) WHERE pdq IS NOT NULL;
)sql"},
  };
}

}  // namespace sg::store
