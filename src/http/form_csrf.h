// Cross-site request forgery protection for the HTML forms (the public
// report form, sign-in, password change), by double submit: a random nonce
// in the `sg_form` cookie (HttpOnly, SameSite=Strict) and, in the form, a
// token that is an HMAC of that nonce under the server secret
// (security/secrets.h). Another site can neither read the cookie nor make
// a token for it. The JSON API needs none of this: it is signed in by a
// Bearer header or a SameSite=Strict session cookie, and it reads only JSON
// bodies, which a cross-site form cannot send.
// Thread safety: pure functions; the secret is read-only.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"
#include "security/secrets.h"

namespace sg::http {

inline constexpr std::chrono::seconds kFormMaxAge = std::chrono::hours(4);
inline constexpr std::string_view kFormCookieName = "sg_form";

// The token to put in a form for this request's nonce. When the request
// has no usable nonce cookie a new nonce is made and `set_cookie` receives
// the Set-Cookie value to send with the page (else it is left empty).
std::string FormToken(const security::SecretKey& secret, const Request& req, const RequestContext& ctx,
                      std::string* set_cookie);

// OK if `token` (the form's csrf field) matches the request's nonce cookie
// and is younger than kFormMaxAge; kPermissionDenied otherwise.
Status CheckFormToken(const security::SecretKey& secret, const Request& req, std::string_view token);

}  // namespace sg::http
