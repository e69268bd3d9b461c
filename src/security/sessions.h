// Sessions: a signed-in user's browser holds a random session id in a
// cookie (HttpOnly, SameSite=Strict, Secure under TLS). The database holds
// only the SHA-256 of the id (a stolen database row cannot be replayed as a
// cookie) with the user and the expiry, so any server process sharing the
// database serves any session, and a restart signs nobody out.
//
// Lookup is by the hash through the primary key: as with tokens, no secret
// is compared in code (tokens.h says why that is safe).
// Thread safety: as the Connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/result.h"
#include "security/roles.h"
#include "store/database.h"

namespace sg::security {

inline constexpr std::string_view kSessionCookieName = "sg_session";
// A working day: an analyst signs in once per shift.
inline constexpr std::chrono::seconds kDefaultSessionTtl = std::chrono::hours(8);

using Clock = std::chrono::system_clock;

// A new session for a user (kind kUser or kSessionUser); the id (43
// characters of base64url, 256 random bits) goes to the browser only.
// kInvalidArgument for a token principal or a ttl that is not positive.
Result<std::string> CreateSession(store::Connection& conn, const Principal& user,
                                  std::chrono::seconds ttl = kDefaultSessionTtl, Clock::time_point now = Clock::now());

// The session's user (kind kSessionUser, role as stored now). Unknown,
// expired, revoked, or the user disabled: kUnauthenticated, one message.
Result<Principal> LookupSession(store::Connection& conn, std::string_view id, Clock::time_point now = Clock::now());

// Ends one session (signing out). Ending an unknown session is not an error.
Status RevokeSession(store::Connection& conn, std::string_view id);
// Ends every session of a user; returns how many.
Result<int64_t> RevokeUserSessions(store::Connection& conn, int64_t user_id);
// Deletes expired sessions; returns how many (housekeeping, any process).
Result<int64_t> PurgeExpiredSessions(store::Connection& conn, Clock::time_point now = Clock::now());

// The Set-Cookie value for a session:
//   sg_session=ID; Path=/; Max-Age=N; HttpOnly; SameSite=Strict[; Secure]
std::string SessionCookie(const std::string& id, bool tls, std::chrono::seconds max_age = kDefaultSessionTtl);
// The Set-Cookie value that removes it (signing out).
std::string ClearSessionCookie(bool tls);

}  // namespace sg::security
