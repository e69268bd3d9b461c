// Reading persons: the `safeguard persons` listing, one person's detail with
// its evidence (GET /api/v1/persons/{id}) and search by any identifier (GET
// /api/v1/identifiers?value=...). Read-only; the caller audits reads.
// Thread safety: as the Connection.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "linking/identifiers.h"
#include "store/database.h"

namespace sg::linking {

struct PersonSummary {
  int64_t id = 0;
  std::vector<std::string> identifiers;  // "kind:value", sorted
  std::vector<int64_t> report_ids;       // sorted, distinct
  std::vector<std::string> roles;        // "reported", "victim" (those that occur, in that order)
};

// Every live person in id order; stops at the first error `fn` returns.
Status ForEachPerson(store::Connection& conn, const std::function<Status(const PersonSummary&)>& fn);

// {"id", "identifiers": [{"identifier", "strong", "report_ids"}], "report_ids", "roles",
//  "mentions": [{"report_id", "role", "index"}],
//  "links": [{"identifier", "report_ids"}]  (strong identifiers seen in two or more of its reports),
//  "candidates": [{"id", "person_id", "kind", "value", "score", "status", "report_ids"}],
//  "split_decisions": [ids]}
// An id merged away answers with the person it was merged into
// ("requested_id" then names the one asked for). kNotFound.
Result<boost::json::object> PersonDetail(store::Connection& conn, int64_t id);

// The live persons holding any of `identifiers` (normalised). Sorted.
Result<std::vector<int64_t>> PersonsHolding(store::Connection& conn, const std::vector<Identifier>& identifiers);

// The live persons holding a chat author's name as a screen name on
// `platform` (as a report's screen names are normalised with its
// platform), or on every known platform when `platform` is empty. Sorted;
// empty when none (or when the name is no screen name).
Result<std::vector<int64_t>> PersonsWithScreenName(store::Connection& conn, std::string_view platform,
                                                   std::string_view name);

// The live persons holding an identifier: `query` as "kind:value", else
// tried as every kind (a screen name on every known platform). Sorted.
// kInvalidArgument if it is no identifier of any kind.
Result<std::vector<int64_t>> FindPersons(store::Connection& conn, const std::string& query);

}  // namespace sg::linking
