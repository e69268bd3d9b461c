// Server secrets and CSRF tokens.
//
// ServerSecret: 32 random bytes under a name, made once and kept in the
// database (security_state), so every server process sharing it signs and
// checks with the same key. Whoever can read the database can read these:
// they protect forms against other sites, not against the database's
// administrator.
//
// CSRF (the public report form, double submit): the server sets a random
// per-form nonce in a cookie (SameSite=Strict, HttpOnly) and puts
// CsrfToken(secret, nonce, now) in the form. On POST, VerifyCsrf checks the
// token against the nonce from the cookie: another site can neither read
// the cookie nor forge a token for it without the secret. The token is
// "<unix seconds>.<base64url HMAC-SHA-256>" over a length-prefixed encoding
// of ("sg-csrf-v1", the time, the binding); the MAC is compared in
// constant time.
// Thread safety: CsrfToken/VerifyCsrf are pure; ServerSecret as the
// Connection.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"

namespace sg::security {

using SecretKey = std::array<uint8_t, 32>;

// The secret called `name` ("csrf"), made on first use. Runs its own write
// transaction when it must create it; of several processes racing, all
// get the one that was committed first.
Result<SecretKey> ServerSecret(store::Connection& conn, std::string_view name);

std::string CsrfToken(const SecretKey& secret, std::string_view binding, std::chrono::system_clock::time_point now);

// OK if `token` was made by CsrfToken with this secret and binding, no more
// than `max_age` before `now` (and not more than a minute after it: clocks
// of several servers differ a little). kPermissionDenied otherwise, saying
// "expired" for an old token (the user reloads the form) and "invalid" for
// anything else.
Status VerifyCsrf(const SecretKey& secret, std::string_view binding, std::string_view token,
                  std::chrono::system_clock::time_point now, std::chrono::seconds max_age);

}  // namespace sg::security
