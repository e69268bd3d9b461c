// The rebuild's write side: what the derived tables hold before it
// (OldState), the result it computed (Resolution), and the writes that turn
// one into the other, row by row, only where they differ. After intake has
// linked every report, a rebuild usually finds (almost) nothing to change,
// so it writes (almost) nothing; ids of persons and candidates that did not
// change stay as they were. Internal to linking.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"
#include "linking/person_writes.h"
#include "linking/rebuild_model.h"

namespace sg::linking {

inline constexpr uint32_t kNoNode = UINT32_MAX;

struct OldPerson {
  int64_t size = 0;
  std::optional<int64_t> merged_into;
};

struct OldCandidate {
  int64_t id = 0;
  uint32_t mention_a = kNoNode, mention_b = kNoNode;  // positions in LinkModel::mentions, if there
  int64_t person_a = 0, person_b = 0;
  std::string kind, value;
  double score = 0;
  bool pending = false;
};

struct Decision {
  int64_t id = 0;
  std::string action;
  boost::json::object details;
};

struct OldState {
  std::unordered_map<int64_t, OldPerson> persons;
  int64_t max_person = 0;
  std::vector<std::pair<uint32_t, int64_t>> identifiers;           // (node, person), identifiers the model has
  std::vector<std::tuple<std::string, std::string, int64_t>> gone;  // (kind, value, person) of identifiers it has not
  std::vector<OldCandidate> candidates;
  std::vector<Decision> decisions;  // active ones, in id order
};

// Reads the derived rows and the active decisions: all of them, or in parts
// (persons and decisions need nothing of the model; identifiers need its
// identifier table, candidates its mentions).
Status ReadOldState(store::Connection& conn, const LinkModel& model, OldState& old);
Status ReadOldPersons(store::Connection& conn, OldState& old);
Status ReadOldIdentifiers(store::Connection& conn, const LinkModel& model, OldState& old);
Status ReadOldCandidates(store::Connection& conn, const LinkModel& model, OldState& old);
// Steps through ReadOldIdentifiers' rows and drops them, on another
// connection while the identifiers are interned: on a cold cache their
// pages are then in the OS cache when ReadOldIdentifiers wants them, not a
// disk wait after the interning.
Status ReadAheadOldIdentifiers(store::Connection& conn);

struct Resolution {
  std::vector<int64_t> mention_person;     // by mention
  std::vector<int64_t> identifier_person;  // by node; 0 for weak identifiers
  std::vector<int64_t> sizes;              // by person id: mentions + strong identifiers; 0: no such person
  int64_t persons = 0;                     // ids with a size
  std::map<int64_t, int64_t> redirects;    // an old id no person keeps -> the person it now points at
  std::vector<std::tuple<int64_t, int64_t, bool>> split_tags;  // (person, decision, split side)
};

// A stored candidate's persons after the rebuild: those of its mentions, or
// the old ones for a mention the model does not have.
std::pair<int64_t, int64_t> NewPersons(const OldCandidate& c, const Resolution& res);

// A pending candidate link the rebuild proposes (mentions by position).
struct Proposal {
  uint32_t mention_a, mention_b;
  uint32_t identifier;  // node
  double score;
};

// persons, report_persons, person_identifiers, person_split_tags.
// `insert_all_mentions`: report_persons was emptied (RewriteEvidence).
Status WritePersonChanges(PersonWrites& w, const LinkModel& model, const OldState& old, const Resolution& res,
                          bool insert_all_mentions);
// link_candidates: decided rows re-pointed to the new persons, pending rows
// replaced by `proposals` (a pending row with the same mentions and value
// is kept, with its id). Returns the number of pending candidates added.
Result<int64_t> WriteCandidateChanges(PersonWrites& w, const LinkModel& model, const OldState& old,
                                      const Resolution& res, const std::vector<Proposal>& proposals);
// For a model read from report bodies: mention_identifiers and ip_captures
// written again from it (its rules may differ from those the rows were
// written under), and report_persons rows of mentions it does not have
// deleted.
Status RewriteEvidence(PersonWrites& w, const LinkModel& model);

}  // namespace sg::linking
