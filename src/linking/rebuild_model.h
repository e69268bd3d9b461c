// The rebuild's in-memory model of every mention and identifier, and the
// two ways to fill it (rebuild.h says when each is used):
//   stored rows       the normalised rows intake wrote (report_persons,
//                     mention_identifiers, ip_captures): integers and short
//                     texts, no JSON (ReadMentionRows, ReadIdentifierRows,
//                     PlaceRows);
//   ReadReportBodies  every report body parsed again, for a store whose
//                     rows were written under other rules (or never).
// Both also feed the bundles (report_matches with the reports' times).
// Internal to linking. Memory: about 32 bytes per mention, 4 per identifier
// occurrence, and each distinct identifier's text plus about 20 bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "core/result.h"
#include "linking/bundles.h"
#include "linking/identifier_table.h"
#include "linking/identifiers.h"
#include "linking/report_facts.h"
#include "store/database.h"

namespace sg::linking {

struct MentionRec {
  int64_t report = 0;
  int32_t index = 0;
  bool victim = false;
  uint32_t begin = 0, end = 0;  // its identifier nodes: LinkModel::ids[begin, end), in report order
  int64_t old_person = 0;       // its person before the rebuild; 0 if it had none
};

struct Capture {
  uint32_t ip;  // identifier node
  int64_t port;
  int64_t time_ms;
  uint32_t mention;
};

struct LinkModel {
  explicit LinkModel(std::chrono::hours bundle_window) : bundles(bundle_window) {}

  std::vector<MentionRec> mentions;  // ordered by (report, victim, index)
  std::vector<uint32_t> ids;
  IdentifierTable identifiers;  // node -> "kind:value"
  std::vector<Capture> captures;
  BundleBuilder bundles;
  std::vector<ReportFactsRow> facts;  // read from the bodies only: that rebuild writes them all
  int64_t reports = 0;    // reports read
  int64_t last_read = 0;  // the highest report id read
  int64_t orphan_rows = 0;  // stored identifier rows whose mention was not read (PlaceRows)

  // The mention's position in `mentions`, if it is there.
  std::optional<uint32_t> FindMention(int64_t report, bool victim, int64_t index) const;
};

// The stored rows of reports with id <= up_to, in three reads that can run
// on two connections at once (rebuild.cc): ReadMentionRows (report_persons:
// the mentions and their persons now) beside ReadIdentifierRows
// (mention_identifiers, ip_captures: interned, mentions named by key), then
// PlaceRows puts each row under its mention.
struct StoredRows {
  struct Carried {
    int64_t report;
    int32_t index;
    bool victim;
    int32_t position;
    uint32_t node;
  };
  struct Captured {
    int64_t report;
    int32_t index;
    bool victim;
    uint32_t ip;
    int64_t port, time_ms;
  };
  std::vector<Carried> carried;
  std::vector<Captured> captured;
};
Status ReadMentionRows(store::Connection& conn, int64_t up_to, LinkModel& model);
Status ReadIdentifierRows(store::Connection& conn, int64_t up_to, IdentifierTable& identifiers, StoredRows& rows);
// Returns the rows whose mention is not in the model (read on another
// connection a moment apart; the rebuild's fingerprint check then reads
// everything again under the write lock). Empties `rows`.
int64_t PlaceRows(LinkModel& model, StoredRows& rows);

// The first column of the first row of `sql` (0 if none or NULL).
Result<int64_t> SingleInt(store::Connection& conn, const std::string& sql, const std::vector<store::Value>& params = {});

// Bundles from report_matches with their reports' times (report_time, schema step
// 10; the reports table for rows without one), reports <= up_to.
Status ReadBundleInputs(store::Connection& conn, int64_t up_to, LinkModel& model);

// Fills `model` by parsing the body of every report with id <= up_to; old
// persons from report_persons.
Status ReadReportBodies(store::Connection& conn, int64_t up_to, LinkModel& model, ProgressBar* progress);

}  // namespace sg::linking
