// Who is asking: the one place that turns a request's credentials into a
// Principal, for every route (API, analyst pages). Sign-in is either
// `Authorization: Bearer TOKEN` (tokens.h) or the `sg_session` cookie
// (sessions.h); a request carrying both is judged by the header.
//
// A user who still has a one-time password (the bootstrap admin) is signed
// in but may do nothing until the password is changed: SignedIn refuses
// them with kPermissionDenied unless the route passes
// `allow_password_change` (the password page itself).
// Thread safety: pure functions over the caller's connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"
#include "security/roles.h"
#include "store/database.h"

namespace sg::http {

// The calling thread's store connection (Api::ThreadConnection): route
// registrations take one so that handlers never share a connection.
using ConnectionSource = std::function<Result<store::Connection*>()>;

Result<security::Principal> SignedIn(store::Connection& conn, const Request& req,
                                     bool allow_password_change = false);

// A signed-in caller with the permission a route needs, and the thread's
// connection to serve it with.
struct Caller {
  store::Connection* conn = nullptr;
  security::Principal who;
};
// Opens the thread's connection, signs in and checks `needed`. On failure
// it answers (401, 403 naming the permission, or 500) and returns nullopt.
std::optional<Caller> Authorise(const ConnectionSource& connection, const Request& req, security::Permission needed,
                                const Responder& respond);

// The value of one cookie from the Cookie header, or "".
std::string CookieValue(const Request& req, std::string_view name);

// A database id in a path or query: digits only, >= 0, at most 18 digits.
std::optional<int64_t> ParseId(std::string_view s);

}  // namespace sg::http
