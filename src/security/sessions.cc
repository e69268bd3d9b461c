#include "security/sessions.h"

#include <fmt/format.h>

#include "core/time.h"
#include "security/crypto.h"

namespace sg::security {
namespace {

constexpr std::string_view kNoSession = "not signed in, or the session has expired";

}  // namespace

Result<std::string> CreateSession(store::Connection& conn, const Principal& user, std::chrono::seconds ttl,
                                  Clock::time_point now) {
  if (user.kind == PrincipalKind::kToken) return InvalidArgument("a session is for a user, not an API token");
  if (ttl.count() <= 0) return InvalidArgument("a session's lifetime must be positive");
  std::string id = RandomId();
  SG_RETURN_IF_ERROR(conn.Exec("INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                               {Sha256Hex(id), user.id, FormatUtc(now), FormatUtc(now + ttl)})
                         .status());
  return id;
}

Result<Principal> LookupSession(store::Connection& conn, std::string_view id, Clock::time_point now) {
  if (id.size() != 43) return Unauthenticated(std::string(kNoSession));
  // Times are fixed-width RFC 3339 UTC text, so text order is time order.
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT u.id, u.name, u.role, u.must_change_password "
                                           "FROM sessions s JOIN users u ON u.id = s.user_id "
                                           "WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL"));
  SG_RETURN_IF_ERROR(q->Bind({Sha256Hex(id), FormatUtc(now)}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Unauthenticated(std::string(kNoSession));
  auto role = ParseRole(q->Text(2));
  Principal p{PrincipalKind::kSessionUser, q->Int(0), q->Text(1), role.value_or(Role::kReporter), q->Int(3) != 0};
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  if (!role) return Unauthenticated(std::string(kNoSession));
  return p;
}

Status RevokeSession(store::Connection& conn, std::string_view id) {
  return conn.Exec("DELETE FROM sessions WHERE id_hash = ?", {Sha256Hex(id)}).status();
}

Result<int64_t> RevokeUserSessions(store::Connection& conn, int64_t user_id) {
  return conn.Exec("DELETE FROM sessions WHERE user_id = ?", {user_id});
}

Result<int64_t> PurgeExpiredSessions(store::Connection& conn, Clock::time_point now) {
  return conn.Exec("DELETE FROM sessions WHERE expires_at <= ?", {FormatUtc(now)});
}

std::string SessionCookie(const std::string& id, bool tls, std::chrono::seconds max_age) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookieName, id,
                     max_age.count(), tls ? "; Secure" : "");
}

std::string ClearSessionCookie(bool tls) {
  return fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}", kSessionCookieName,
                     tls ? "; Secure" : "");
}

}  // namespace sg::security
