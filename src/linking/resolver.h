// Linker: entity resolution at intake, one report at a time, inside the
// transaction that stores the report (intake::ReportStore::IngestBatch), so
// a committed report is always linked.
//
// Rules (the same as the rebuild's, rebuild.h, so that incremental linking
// and a rebuild of the same reports give the same persons):
//   - every mention (one person of one report) belongs to exactly one person;
//   - a strong identifier (email, phone, platform + screen name, device id,
//     profile URL) belongs to one person: a mention carrying it joins that
//     person, and a mention carrying the identifiers of two persons merges
//     them (union-find; the smaller person is re-pointed), unless the two
//     persons hold different sides of an analyst's split, in which case the
//     identifier stays where it is and the mention is not joined through it;
//   - weak identifiers (display names; IP addresses with the same port
//     within ip_window) never link: they propose scored candidates between
//     two persons, once per (pair, kind, value), never again once rejected;
//   - evidence: every identifier of every mention is kept
//     (mention_identifiers), so each link names its identifier and reports.
// Bundles (bundles.h) are updated for the report's matched hashes.
//
// Cost: indexed lookups and writes only, proportional to the report's
// identifiers (and, on a merge, to the smaller person's rows).
// Thread safety: as the Connection; one Linker per batch/transaction.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "core/result.h"
#include "linking/person_writes.h"
#include "linking/report_input.h"
#include "store/database.h"
#include "store/row_inserter.h"

namespace sg::linking {

struct LinkOptions {
  std::chrono::seconds ip_window{3600};  // same IP and port within this: a candidate
  int max_persons_per_weak_value = 20;   // more persons share it: too common to mean anything
  std::chrono::hours bundle_window{24 * 30};
};

// Scores of weak evidence (0..1): an IP with its port scores by closeness
// in time; a display name alone is a weak hint.
inline constexpr double kDisplayNameScore = 0.3;
double IpScore(std::chrono::milliseconds apart, std::chrono::seconds window);

// Pending candidates, shared by the linker and the rebuild: written as
// multi-row INSERTs (rows already there are skipped), ids taken from one
// read of the table's next id (writers hold the write lock). Flush before
// reading link_candidates again.
class CandidateWriter {
 public:
  explicit CandidateWriter(PersonWrites& writes);
  Status Add(int64_t person_a, int64_t report_a, const std::string& role_a, int64_t index_a, int64_t person_b,
             int64_t report_b, const std::string& role_b, int64_t index_b, IdentifierKind kind,
             const std::string& value, double score);
  Status Flush() { return rows_.Flush(); }

 private:
  PersonWrites& writes_;
  store::RowInserter rows_;
  std::optional<int64_t> next_id_;
  std::string now_;
};

class Linker {
 public:
  explicit Linker(store::Connection& conn, LinkOptions options = {});
  // Links one stored report (its rows exist already). Must run inside the
  // caller's write transaction.
  Status OnReport(const ReportInput& report);

 private:
  // Links the mention; returns its person.
  Result<int64_t> LinkMention(int64_t report_id, const Mention& m);
  // `p`: the mention's person now.
  Status ProposeCandidates(int64_t report_id, const Mention& m, int64_t p);
  // The person `id` was merged into by this Linker, if it was.
  int64_t Live(int64_t id) const;

  store::Connection& conn_;
  LinkOptions options_;
  PersonWrites writes_;
  std::map<int64_t, int64_t> merged_;  // merged-away person -> survivor, by this Linker's merges
  CandidateWriter candidates_;
};

}  // namespace sg::linking
