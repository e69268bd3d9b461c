// People and bundles (step 4..), written by the linking module
// (src/linking/resolver.h, bundles.h), which is the place that knows what
// the columns mean. Everything here except link_decisions and the decided
// rows of link_candidates is derived from the reports and is recomputed by
// `safeguard link` (a rebuild); analysts' decisions survive rebuilds.
//
// A mention is one person of one report: (report_id, role, person_index),
// role 'reported' or 'victim', person_index the position in the report's
// reported_people[] or victims[]. Every mention belongs to exactly one
// person (report_persons), so offender-victim pairs of a report are
//   SELECT o.person_id, v.person_id FROM report_persons o JOIN report_persons v
//     ON v.report_id = o.report_id AND v.role = 'victim'
//   WHERE o.role = 'reported' AND o.report_id = ?
// Identifiers are stored normalised (linking/identifiers.h): kind and value.
// A rebuild (src/linking/rebuild.h) reads report_persons, mention_identifiers
// and ip_captures as written at intake, and writes only what changed.
#include "store/schema_parts.h"

namespace sg::store {

constexpr const char* kStep9 = R"sql(
-- Each identifier's position in its mention as the report lists it: the
-- order the resolution rules see them in, so a rebuild from these rows
-- gives what intake gave.
ALTER TABLE mention_identifiers ADD COLUMN position INTEGER;
-- The version of the linking rules the stored mention rows follow
-- (linking::kLinkRulesVersion): a rebuild reads them instead of the report
-- bodies only when it matches. A store with reports has rows without
-- positions: its next rebuild parses the bodies and records the version.
INSERT INTO store_meta (key, value) SELECT 'link_rules', '1' WHERE NOT EXISTS (SELECT 1 FROM reports);
)sql";

// What the network analysis needs of each report besides its persons,
// written by linking at intake (Linker::OnReport) so that `networks` reads
// a narrow table instead of scanning every report's body (three passes over
// most of the file at 10M reports). Reports stored before this step have no
// row: `networks` reads those from their bodies until the next `safeguard
// link` writes their rows (linking::FillMissingReportFacts), which records
// store_meta 'report_facts' = 'complete'; an empty store is complete at once.
constexpr const char* kStep11Sqlite = R"sql(
CREATE TABLE report_facts (
  report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  time TEXT NOT NULL,                 -- incident_time, else received_at (RFC 3339)
  immediate_danger INTEGER NOT NULL,  -- 0 or 1
  victim_ages TEXT,                   -- JSON [[victim index, approximate age], ...]; NULL: none given
  grp TEXT                            -- "platform/group" (linking::GroupKey) when the report names a group
);
INSERT INTO store_meta (key, value) SELECT 'report_facts', 'complete' WHERE NOT EXISTS (SELECT 1 FROM reports);
)sql";
constexpr const char* kStep11Postgres = R"sql(
CREATE TABLE report_facts (
  report_id BIGINT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  time TEXT COLLATE "C" NOT NULL,
  immediate_danger INTEGER NOT NULL,
  victim_ages TEXT,
  grp TEXT COLLATE "C"
);
INSERT INTO store_meta (key, value) SELECT 'report_facts', 'complete' WHERE NOT EXISTS (SELECT 1 FROM reports);
)sql";

std::vector<Migration> LinkingMigrations() {
  return {
      {4, "persons, their identifiers and reports, link evidence, candidates, decisions, bundles",
       // SQLite
       R"sql(
CREATE TABLE persons (
  id INTEGER PRIMARY KEY,           -- allocated by linking (max + 1), stable across rebuilds where possible
  created_at TEXT NOT NULL,
  size INTEGER NOT NULL DEFAULT 0,  -- mentions + strong identifiers: a merge re-points the smaller person
  merged_into INTEGER               -- set when merged away: the id lives on as a pointer
);

CREATE TABLE report_persons (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  role TEXT NOT NULL,               -- reported, victim
  person_index INTEGER NOT NULL,    -- position in the report's reported_people[] or victims[]
  person_id INTEGER NOT NULL,
  PRIMARY KEY (report_id, role, person_index)
);
CREATE INDEX report_persons_person ON report_persons (person_id, report_id);

-- The normalised identifiers of each person. A strong identifier belongs to
-- one person; a weak one (ip, display_name) may belong to several.
CREATE TABLE person_identifiers (
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  person_id INTEGER NOT NULL,
  PRIMARY KEY (kind, value, person_id)
);
CREATE INDEX person_identifiers_person ON person_identifiers (person_id);

-- Evidence: which identifier each mention carried. A link between two
-- mentions is an identifier they share; its reports are these rows.
CREATE TABLE mention_identifiers (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  person_index INTEGER NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (report_id, role, person_index, kind, value)
);
CREATE INDEX mention_identifiers_value ON mention_identifiers (kind, value, report_id);

-- IP captures (weak): a candidate needs the same address and port within a
-- time window.
CREATE TABLE ip_captures (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  person_index INTEGER NOT NULL,
  ip TEXT NOT NULL,
  port INTEGER NOT NULL,
  time TEXT NOT NULL,               -- RFC 3339 UTC
  event TEXT
);
CREATE INDEX ip_captures_lookup ON ip_captures (ip, port, time);

-- Analysts' decisions: merge two persons, split nodes off a person. Nodes are
-- mentions ("mention:REPORT:ROLE:INDEX") or identifiers ("kind:value"), which
-- rebuilds keep, never person ids, which they may not. `active` 0: a later
-- decision contradicted it.
CREATE TABLE link_decisions (
  id INTEGER PRIMARY KEY,
  action TEXT NOT NULL,             -- merge, split
  actor TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  details TEXT NOT NULL             -- JSON: merge {"nodes": [a, b]}; split {"split": [nodes], "rest": [nodes]}
);

-- A split's two sides may not be joined again by evidence: each side's
-- person carries (decision, side); a link between persons holding
-- different sides of one decision is refused.
CREATE TABLE person_split_tags (
  person_id INTEGER NOT NULL,
  decision_id INTEGER NOT NULL,
  side TEXT NOT NULL,               -- split, rest
  PRIMARY KEY (person_id, decision_id, side)
);

-- Scored candidate links from weak evidence, between two mentions (and the
-- persons holding them now, kept current by merges and splits).
CREATE TABLE link_candidates (
  id INTEGER PRIMARY KEY,
  report_a INTEGER NOT NULL, role_a TEXT NOT NULL, index_a INTEGER NOT NULL,
  report_b INTEGER NOT NULL, role_b TEXT NOT NULL, index_b INTEGER NOT NULL,
  person_a INTEGER NOT NULL, person_b INTEGER NOT NULL,
  kind TEXT NOT NULL,               -- ip, display_name
  value TEXT NOT NULL,
  score REAL NOT NULL,              -- 0..1
  status TEXT NOT NULL,             -- pending, confirmed, rejected
  created_at TEXT NOT NULL,
  decided_by TEXT, decided_at TEXT,
  UNIQUE (report_a, role_a, index_a, report_b, role_b, index_b, kind, value)
);
CREATE INDEX link_candidates_b ON link_candidates (report_b, role_b, index_b);
CREATE INDEX link_candidates_persons ON link_candidates (person_a, person_b);
CREATE INDEX link_candidates_person_b ON link_candidates (person_b);
CREATE INDEX link_candidates_status ON link_candidates (status, id);

-- Bundles: reports about the same known media (a matched list hash) within
-- a time window are one incident. A report is in at most one bundle.
CREATE TABLE bundles (
  id INTEGER PRIMARY KEY,
  first_report_id INTEGER NOT NULL,
  first_time TEXT NOT NULL,
  last_time TEXT NOT NULL,
  reports INTEGER NOT NULL
);
CREATE TABLE bundle_keys (
  hash TEXT NOT NULL,               -- the list entry's hash (report_matches.hash)
  bundle_id INTEGER NOT NULL,
  PRIMARY KEY (hash, bundle_id)
);
CREATE TABLE bundle_reports (
  report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  bundle_id INTEGER NOT NULL
);
CREATE INDEX bundle_reports_bundle ON bundle_reports (bundle_id, report_id);
)sql",
       // PostgreSQL
       R"sql(
CREATE TABLE persons (
  id BIGINT PRIMARY KEY,
  created_at TEXT COLLATE "C" NOT NULL,
  size BIGINT NOT NULL DEFAULT 0,
  merged_into BIGINT
);

CREATE TABLE report_persons (
  report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  role TEXT COLLATE "C" NOT NULL,
  person_index INTEGER NOT NULL,
  person_id BIGINT NOT NULL,
  PRIMARY KEY (report_id, role, person_index)
);
CREATE INDEX report_persons_person ON report_persons (person_id, report_id);

CREATE TABLE person_identifiers (
  kind TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  person_id BIGINT NOT NULL,
  PRIMARY KEY (kind, value, person_id)
);
CREATE INDEX person_identifiers_person ON person_identifiers (person_id);

CREATE TABLE mention_identifiers (
  report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  role TEXT COLLATE "C" NOT NULL,
  person_index INTEGER NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (report_id, role, person_index, kind, value)
);
CREATE INDEX mention_identifiers_value ON mention_identifiers (kind, value, report_id);

CREATE TABLE ip_captures (
  report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  role TEXT COLLATE "C" NOT NULL,
  person_index INTEGER NOT NULL,
  ip TEXT COLLATE "C" NOT NULL,
  port INTEGER NOT NULL,
  time TEXT COLLATE "C" NOT NULL,
  event TEXT
);
CREATE INDEX ip_captures_lookup ON ip_captures (ip, port, time);

CREATE TABLE link_decisions (
  id BIGINT PRIMARY KEY,
  action TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  decided_at TEXT COLLATE "C" NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  details TEXT NOT NULL
);

CREATE TABLE person_split_tags (
  person_id BIGINT NOT NULL,
  decision_id BIGINT NOT NULL,
  side TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (person_id, decision_id, side)
);

CREATE TABLE link_candidates (
  id BIGINT PRIMARY KEY,
  report_a BIGINT NOT NULL, role_a TEXT COLLATE "C" NOT NULL, index_a INTEGER NOT NULL,
  report_b BIGINT NOT NULL, role_b TEXT COLLATE "C" NOT NULL, index_b INTEGER NOT NULL,
  person_a BIGINT NOT NULL, person_b BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  decided_by TEXT COLLATE "C", decided_at TEXT COLLATE "C",
  UNIQUE (report_a, role_a, index_a, report_b, role_b, index_b, kind, value)
);
CREATE INDEX link_candidates_b ON link_candidates (report_b, role_b, index_b);
CREATE INDEX link_candidates_persons ON link_candidates (person_a, person_b);
CREATE INDEX link_candidates_person_b ON link_candidates (person_b);
CREATE INDEX link_candidates_status ON link_candidates (status, id);

CREATE TABLE bundles (
  id BIGINT PRIMARY KEY,
  first_report_id BIGINT NOT NULL,
  first_time TEXT COLLATE "C" NOT NULL,
  last_time TEXT COLLATE "C" NOT NULL,
  reports BIGINT NOT NULL
);
CREATE TABLE bundle_keys (
  hash TEXT COLLATE "C" NOT NULL,
  bundle_id BIGINT NOT NULL,
  PRIMARY KEY (hash, bundle_id)
);
CREATE TABLE bundle_reports (
  report_id BIGINT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  bundle_id BIGINT NOT NULL
);
CREATE INDEX bundle_reports_bundle ON bundle_reports (bundle_id, report_id);
)sql"},
      // Nothing looks mentions up by identifier (searches go through
      // person_identifiers), and each of a report's identifiers cost a
      // random-key page write in it at every intake commit.
      {7, "drop the unused index of mention_identifiers by value",
       "DROP INDEX IF EXISTS mention_identifiers_value;",
       "DROP INDEX IF EXISTS mention_identifiers_value;"},
      // The same SQL on both backends.
      {9, "identifier positions in mentions; the linking rules the stored rows follow", kStep9, kStep9},
      {11, "each report's facts for the network analysis (time, danger, victims' ages, group)",
       kStep11Sqlite, kStep11Postgres},
  };
}

}  // namespace sg::store
