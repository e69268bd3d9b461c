// Analysts' decisions on persons: merge two, split identifiers and reports
// off one into a new person, confirm or reject a candidate link. Each is
// applied at once, recorded in link_decisions (by mentions and identifiers,
// which rebuilds keep, not by person ids) so that it survives rebuilds
// (rebuild.h), and audited ("person.merge", "person.split",
// "candidate.confirm", "candidate.reject") in the same transaction.
//
// A later decision wins over an earlier one it contradicts: a merge of two
// sides of an earlier split deactivates that split; a split that separates
// the two sides of an earlier merge deactivates that merge.
// Thread safety: as the Connection. Each call is one write transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace sg::linking {

struct DecisionContext {
  std::string actor;    // "user:alice", "cli:root"
  std::string address;  // client address, "" on the command line
};

struct MergeOutcome {
  int64_t person_id = 0;  // the surviving person
  int64_t decision_id = 0;
};
// kNotFound for an unknown person; kInvalidArgument if both are one person.
Result<MergeOutcome> MergePersons(store::Connection& conn, int64_t a, int64_t b, const DecisionContext& ctx);

struct SplitOutcome {
  int64_t person_id = 0;      // the person split from
  int64_t new_person_id = 0;  // holding what was split off
  int64_t decision_id = 0;
};
// `identifiers` in "kind:value" form (normalised again), `report_ids`: the
// person's mentions in those reports. What is split off: those identifiers,
// the mentions carrying any of them and the mentions in those reports.
// kInvalidArgument if that is nothing or everything, or names an identifier
// the person does not hold.
Result<SplitOutcome> SplitPerson(store::Connection& conn, int64_t person, const std::vector<std::string>& identifiers,
                                 const std::vector<int64_t>& report_ids, const DecisionContext& ctx);

// Confirm: the candidate's two persons are merged (a merge decision).
// Reject: never proposed again. kNotFound; kInvalidArgument if decided.
Result<MergeOutcome> ConfirmCandidate(store::Connection& conn, int64_t candidate, const DecisionContext& ctx);
Status RejectCandidate(store::Connection& conn, int64_t candidate, const DecisionContext& ctx);

}  // namespace sg::linking
