#include "http/form_csrf.h"

#include <fmt/format.h>

#include "http/auth.h"
#include "security/crypto.h"

namespace sg::http {
namespace {

// security::RandomId() makes 43 characters; anything far from that was not
// made here and is replaced rather than signed.
bool UsableNonce(std::string_view nonce) {
  if (nonce.size() < 32 || nonce.size() > 64) return false;
  for (char c : nonce) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string FormToken(const security::SecretKey& secret, const Request& req, const RequestContext& ctx,
                      std::string* set_cookie) {
  std::string nonce = CookieValue(req, kFormCookieName);
  set_cookie->clear();
  if (!UsableNonce(nonce)) {
    nonce = security::RandomId();
    *set_cookie = fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kFormCookieName, nonce,
                              kFormMaxAge.count(), ctx.tls ? "; Secure" : "");
  }
  return security::CsrfToken(secret, nonce, std::chrono::system_clock::now());
}

Status CheckFormToken(const security::SecretKey& secret, const Request& req, std::string_view token) {
  const std::string nonce = CookieValue(req, kFormCookieName);
  if (!UsableNonce(nonce)) return PermissionDenied("the form cookie is missing");
  return security::VerifyCsrf(secret, nonce, token, std::chrono::system_clock::now(), kFormMaxAge);
}

}  // namespace sg::http
