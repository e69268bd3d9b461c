// Rebuild: recomputes persons, evidence, candidates and bundles from all
// stored reports in bulk (`safeguard link`): read every report once, an
// in-memory union-find over mentions and strong identifiers, then one write
// transaction that replaces the derived tables. Analysts' decisions
// (link_decisions) are re-applied: active splits first, as constraints
// (each side held together, the sides never joined by evidence), then the
// reports' identifiers in report order (the same rule as Linker), then
// active merges. Decided candidates (confirmed, rejected) are kept and never
// proposed again; pending ones are recomputed.
//
// Person ids are kept where they can be: a person keeps the old id of its
// first mention unless another already took it.
// Thread safety: as the Connection. Memory: about 100 bytes per mention and
// per distinct identifier, plus the identifiers' text.
#pragma once

#include <cstdint>

#include "core/progress.h"
#include "core/result.h"
#include "linking/resolver.h"
#include "store/database.h"

namespace sg::linking {

struct RebuildStats {
  int64_t reports = 0, mentions = 0, identifiers = 0, persons = 0, candidates = 0, bundles = 0;
};

// `progress` may be null.
Result<RebuildStats> Rebuild(store::Connection& conn, const LinkOptions& options, ProgressBar* progress);

}  // namespace sg::linking
