// Analyst sign-in, in the browser and for API clients.
//
//   GET  /login                 the sign-in form
//   POST /login                 name + password (+ the form's CSRF token):
//                               a session cookie, then 303 to / (or to
//                               /account/password while the password is a
//                               one-time one)
//   POST /logout                ends the session
//   GET  /account/password      the password form
//   POST /account/password      current + new password; clears the one-time flag
//   GET  /                      the analyst's start page (latest reports),
//                               or 303 to /login
//   POST /api/v1/session        JSON {"name", "password"}: the same cookie,
//                               answers {"user", "role", "must_change_password"}
//   DELETE /api/v1/session      signs out
//
// Sessions are security/sessions.h cookies: HttpOnly, SameSite=Strict,
// Secure under TLS, kept in the database so any server process knows them.
// Sign-in attempts are rate-limited per client address (password guessing)
// and every sign-in, failed sign-in, sign-out and password change is in the
// audit log with the client address. A failed sign-in says only "wrong name
// or password", whichever it was.
#pragma once

#include "core/result.h"
#include "http/auth.h"
#include "http/rate_limiter.h"
#include "http/router.h"
#include "security/secrets.h"
#include "store/database.h"

namespace sg::http {

// `secret` and `limiter` must outlive the router's use.
void AddSignInRoutes(Router& router, ConnectionSource connection, const security::SecretKey& secret,
                     RateLimiter& limiter);

}  // namespace sg::http
