// Rebuild (`safeguard link`): recomputes every person, candidate link and
// bundle from all stored reports, re-applying analysts' decisions: active
// splits first, as constraints (each side held together, the sides never
// joined by evidence), then the reports' strong identifiers in report order
// (the Linker's rule), then active merges. Decided candidates (confirmed,
// rejected) are kept and never proposed again; pending ones are recomputed.
//
// Input. Intake stores each mention's normalised identifiers
// (report_persons, mention_identifiers, ip_captures) as it links it, so a
// rebuild reads those rows, not the report bodies: no JSON, and integers and
// short texts only. The bodies are parsed again (kReportBodies) when asked,
// or when the rows were written under other rules than this build's
// (store_meta 'link_rules' != kLinkRulesVersion: an old store, or a change to
// identifier normalisation); the rows are then written again and the
// version recorded.
//
// Output. The result is compared with what the derived tables hold and only
// the differences are written, in one transaction (rebuild_diff.h). Person
// ids are kept where they can be: a person keeps the old id of its first
// mention unless another already took it; old ids that no person keeps
// redirect (merged_into), so none ever 404s.
//
// Intake need not stop: everything is read outside the write lock; under
// it, if a fingerprint of the linking tables shows that anything was linked
// or decided meanwhile, the rebuild reads again (then under the lock).
// Thread safety: as the Connection. Memory: about 40 bytes per mention and
// per identifier occurrence, plus each distinct identifier's text and the
// derived rows' ids.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "core/progress.h"
#include "core/result.h"
#include "linking/resolver.h"
#include "store/database.h"

namespace sg::linking {

// The version of the rules that turn a report into mentions and normalised
// identifiers (report_input.h, identifiers.h): bump it with any change to
// them, and the next rebuild parses every body again. A new store records
// 1 (schema step 9).
inline constexpr int64_t kLinkRulesVersion = 1;

enum class RebuildSource {
  kAuto,          // the stored rows when they follow this build's rules, else the bodies
  kReportBodies,  // parse every report body again
};

struct RebuildStats {
  int64_t reports = 0, mentions = 0, identifiers = 0, persons = 0, candidates = 0, bundles = 0;
  bool from_bodies = false;  // the bodies were parsed (else the stored rows read)
  bool read_again = false;   // something was linked meanwhile: read again under the write lock
  // Wall time of the phases: read (both reads, with the lock taken between),
  // resolve (union-find, ids, candidates), write (the differences, commit).
  double read_seconds = 0, resolve_seconds = 0, write_seconds = 0;
  // report_facts rows written afterwards for reports stored before schema
  // step 11 (FillMissingReportFacts; 0 once every report has one).
  int64_t facts_filled = 0;
  double facts_seconds = 0;
};

struct RebuildOptions {
  RebuildSource source = RebuildSource::kAuto;
  // Opens another connection to the same store. When set, the stored rows
  // are read on two threads, one connection each.
  std::function<Result<std::unique_ptr<store::Connection>>()> open_reader;
  // Runs once between the read phase and the write transaction (tests
  // store a "concurrent" report there).
  std::function<Status()> after_read;
};

// `progress` may be null. stats.candidates counts the pending candidates
// added.
Result<RebuildStats> Rebuild(store::Connection& conn, const LinkOptions& options, ProgressBar* progress,
                             const RebuildOptions& rebuild = {});

}  // namespace sg::linking
