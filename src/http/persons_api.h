// The persons API (linking): analysts and admins only (person.read,
// person.decide); a reporter token gets 403, as for other unit-only reads.
//
//   GET  /api/v1/persons/{id}                 a person with identifiers and their
//                                             evidence, reports, roles, links,
//                                             candidates (linking::PersonDetail)
//   GET  /api/v1/identifiers?value=V          persons holding an identifier; V is
//                                             "kind:value" or any spelling of one
//   POST /api/v1/persons/{id}/merge           {"with": id}
//   POST /api/v1/persons/{id}/split           {"identifiers": ["kind:value"...],
//                                              "report_ids": [...]}
//   POST /api/v1/candidates/{id}/confirm      a candidate link becomes a merge
//   POST /api/v1/candidates/{id}/reject       never proposed again
//
// Reads are audited ("person.read", "person.search"); decisions are
// audited by linking/decisions.h in their own transaction.
#pragma once

#include <functional>

#include "core/result.h"
#include "http/router.h"
#include "store/database.h"

namespace sg::http {

using ConnectionSource = std::function<Result<store::Connection*>()>;

void AddPersonsRoutes(Router& router, ConnectionSource connection);

}  // namespace sg::http
