// What the API's handler files share: who is signed in (Bearer token or
// session cookie) and reading an id from a path.
// Thread safety: pure functions over the caller's connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"
#include "security/roles.h"
#include "store/database.h"

namespace sg::http {

// A whole number >= 0 of at most 18 digits, else nullopt.
std::optional<int64_t> ParseId(std::string_view s);

// The value of one cookie from the Cookie header, or "".
std::string CookieValue(const Request& req, std::string_view name);

// The principal of `Authorization: Bearer TOKEN` or the `sg_session`
// cookie; kUnauthenticated when neither names a live one.
Result<security::Principal> SignedIn(store::Connection& conn, const Request& req);

}  // namespace sg::http
