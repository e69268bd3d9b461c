#include "http/auth.h"

#include <charconv>

#include <fmt/format.h>

#include "http/router.h"

#include "security/sessions.h"
#include "security/tokens.h"

namespace sg::http {

std::optional<int64_t> ParseId(std::string_view s) {
  int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

std::string CookieValue(const Request& req, std::string_view name) {
  auto it = req.find(beast_http::field::cookie);
  if (it == req.end()) return "";
  std::string_view all(it->value().data(), it->value().size());
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view pair = all.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return "";
}

namespace {

Result<security::Principal> Identify(store::Connection& conn, const Request& req) {
  auto auth = req.find(beast_http::field::authorization);
  if (auth != req.end()) {
    auto token = security::BearerToken(std::string_view(auth->value().data(), auth->value().size()));
    if (!token) return Unauthenticated("the Authorization header must be 'Bearer TOKEN'");
    auto p = security::AuthenticateBearer(conn, *token);
    // A database failure stays a server error; anything else is one answer.
    if (!p.ok() && p.status().code() != StatusCode::kIoError && p.status().code() != StatusCode::kInternal) {
      return Unauthenticated("unknown or revoked token");
    }
    return p;
  }
  std::string session = CookieValue(req, security::kSessionCookieName);
  if (!session.empty()) {
    auto p = security::LookupSession(conn, session);
    if (!p.ok() && p.status().code() == StatusCode::kNotFound) return Unauthenticated("the session has expired");
    return p;
  }
  return Unauthenticated("sign in, or send 'Authorization: Bearer TOKEN'");
}

}  // namespace

Result<security::Principal> SignedIn(store::Connection& conn, const Request& req, bool allow_password_change) {
  SG_ASSIGN_OR_RETURN(security::Principal who, Identify(conn, req));
  if (who.must_change_password && !allow_password_change) {
    return PermissionDenied("this account has a one-time password: choose a new one at /account/password first");
  }
  return who;
}

std::optional<Caller> Authorise(const ConnectionSource& connection, const Request& req, security::Permission needed,
                                const Responder& respond) {
  auto conn = connection();
  if (!conn.ok()) {
    respond(StatusResponse(conn.status()));
    return std::nullopt;
  }
  auto who = SignedIn(**conn, req);
  if (!who.ok()) {
    respond(StatusResponse(who.status()));
    return std::nullopt;
  }
  if (!security::Allowed(*who, needed)) {
    respond(StatusResponse(
        PermissionDenied(fmt::format("this account does not have the permission {}", security::PermissionName(needed)))));
    return std::nullopt;
  }
  return Caller{*conn, *who};
}

}  // namespace sg::http
