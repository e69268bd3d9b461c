// Reports, their files and matches (steps 3..). Written by intake's
// ReportStore (src/intake/report_store.h), which is the place that knows what
// the columns mean. The report itself is kept whole as its canonical JSON
// (`body`, intake::ReportToJson); the other columns are what queries select,
// sort or join on, copied out of it at intake.
#include "store/schema_parts.h"

namespace sg::store {

// Bundles group a report's matches by the report's time. Read through a
// join, each matched report's row (its body: most of the file) is a page
// read, and at 10M reports the pages around them with it. Intake writes the
// time here; a row without one (written by other means) falls back to the
// join.
constexpr const char* kStep10 = R"sql(
ALTER TABLE report_matches ADD COLUMN report_time TEXT;
UPDATE report_matches SET report_time =
  (SELECT coalesce(r.incident_time, r.received_at) FROM reports r WHERE r.id = report_matches.report_id);
)sql";

std::vector<Migration> ReportsMigrations() {
  return {
      {3, "reports, report files and matches, idempotency keys",
       // SQLite
       R"sql(
CREATE TABLE reports (
  -- Ids grow with commit order (one writer at a time, BEGIN IMMEDIATE), so
  -- paging with `id > after` never skips a report committed later.
  id INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  channel TEXT NOT NULL,            -- api, public_form, import
  owner TEXT NOT NULL,              -- the principal that made it: token:7, user:3, public, cli:import
  source TEXT NOT NULL,             -- industry, public, police
  incident_type TEXT NOT NULL,
  incident_time TEXT,
  immediate_danger INTEGER NOT NULL DEFAULT 0,
  priority TEXT NOT NULL,           -- top, high, normal (report_store.h)
  body TEXT NOT NULL,               -- canonical JSON of the report
  body_sha256 TEXT NOT NULL
);
CREATE INDEX reports_owner ON reports (owner, id);

CREATE TABLE report_files (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  file_index INTEGER NOT NULL,      -- position in the report's files[]
  md5 TEXT, sha1 TEXT, sha256 TEXT, pdq TEXT,
  industry_classification TEXT,
  PRIMARY KEY (report_id, file_index)
);
-- Which reports carried a file: looked up by any of its hashes.
CREATE INDEX report_files_md5 ON report_files (md5) WHERE md5 IS NOT NULL;
CREATE INDEX report_files_sha1 ON report_files (sha1) WHERE sha1 IS NOT NULL;
CREATE INDEX report_files_sha256 ON report_files (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX report_files_pdq ON report_files (pdq) WHERE pdq IS NOT NULL;

-- What matched at intake, against the lists as they were then: a list
-- changed later does not rewrite what the report was found to hold.
CREATE TABLE report_matches (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  match_index INTEGER NOT NULL,     -- order within the report
  file_index INTEGER NOT NULL,
  list TEXT NOT NULL,
  kind TEXT NOT NULL,               -- md5, sha1, sha256, pdq
  hash TEXT NOT NULL,               -- the list entry's hash
  distance INTEGER NOT NULL,
  category TEXT,
  series TEXT,
  PRIMARY KEY (report_id, match_index)
);
CREATE INDEX report_matches_list ON report_matches (list, report_id);

-- Idempotency-Key: the same key from the same owner always names the same
-- report; request_sha256 is that of the canonical body, so a retry that
-- differs only in whitespace or key order is still the same request.
CREATE TABLE idempotency_keys (
  owner TEXT NOT NULL,
  key TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (owner, key)
);
)sql",
       // PostgreSQL
       R"sql(
-- COLLATE "C" on keys and hashes: byte order, as in SQLite. Ids are
-- BIGSERIAL; writers hold the schema's write lock (BeginWrite), so ids are
-- committed in increasing order and `id > after` paging skips nothing.
CREATE TABLE reports (
  id BIGSERIAL PRIMARY KEY,
  received_at TEXT COLLATE "C" NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  incident_type TEXT COLLATE "C" NOT NULL,
  incident_time TEXT COLLATE "C",
  immediate_danger INTEGER NOT NULL DEFAULT 0,
  priority TEXT COLLATE "C" NOT NULL,
  body TEXT NOT NULL,
  body_sha256 TEXT COLLATE "C" NOT NULL
);
CREATE INDEX reports_owner ON reports (owner, id);

CREATE TABLE report_files (
  report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  file_index INTEGER NOT NULL,
  md5 TEXT COLLATE "C", sha1 TEXT COLLATE "C", sha256 TEXT COLLATE "C", pdq TEXT COLLATE "C",
  industry_classification TEXT COLLATE "C",
  PRIMARY KEY (report_id, file_index)
);
CREATE INDEX report_files_md5 ON report_files (md5) WHERE md5 IS NOT NULL;
CREATE INDEX report_files_sha1 ON report_files (sha1) WHERE sha1 IS NOT NULL;
CREATE INDEX report_files_sha256 ON report_files (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX report_files_pdq ON report_files (pdq) WHERE pdq IS NOT NULL;

CREATE TABLE report_matches (
  report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  match_index INTEGER NOT NULL,
  file_index INTEGER NOT NULL,
  list TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL,
  distance INTEGER NOT NULL,
  category TEXT COLLATE "C",
  series TEXT,
  PRIMARY KEY (report_id, match_index)
);
CREATE INDEX report_matches_list ON report_matches (list, report_id);

CREATE TABLE idempotency_keys (
  owner TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  request_sha256 TEXT COLLATE "C" NOT NULL,
  report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  created_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (owner, key)
);
)sql"},
      // Nothing looks a file up by hash (matching is against the lists, and a
      // search of past reports for newly listed hashes is one scan of
      // report_files joined to the new entries), while the four indexes cost
      // four random-key page writes per file at every intake commit.
      {8, "drop the unused indexes of report_files by hash",
       R"sql(
DROP INDEX IF EXISTS report_files_md5;
DROP INDEX IF EXISTS report_files_sha1;
DROP INDEX IF EXISTS report_files_sha256;
DROP INDEX IF EXISTS report_files_pdq;
)sql",
       R"sql(
DROP INDEX IF EXISTS report_files_md5;
DROP INDEX IF EXISTS report_files_sha1;
DROP INDEX IF EXISTS report_files_sha256;
DROP INDEX IF EXISTS report_files_pdq;
)sql"},
      // The same SQL on both backends.
      {10, "each match's report time, so bundles are read without the reports' pages", kStep10, kStep10},
  };
}

}  // namespace sg::store
