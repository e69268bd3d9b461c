#include "security/tokens.h"

#include <fmt/format.h>

#include "core/time.h"
#include "security/crypto.h"
#include "security/users.h"
#include "store/audit.h"

namespace sg::security {
namespace {

constexpr size_t kTokenLength = 4 + 43;  // "sgt_" + base64url of 32 bytes
constexpr std::string_view kBadToken = "invalid or revoked API token";

bool Base64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

Result<NewToken> CreateToken(store::Connection& conn, std::string_view name, Role role, const Actor& actor) {
  SG_RETURN_IF_ERROR(ValidateName("token", name));
  NewToken made;
  made.token = std::string(kTokenPrefix) + RandomId();
  SG_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(conn));
  auto inserted = conn.Exec("INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                            {std::string(name), std::string(RoleName(role)), Sha256Hex(made.token), NowUtc()});
  if (!inserted.ok()) {
    if (inserted.status().code() == StatusCode::kAlreadyExists) {
      return Status(StatusCode::kAlreadyExists,
                    fmt::format("a token named '{}' already exists (revoke it first to reuse the name)", name));
    }
    return inserted.status();
  }
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id FROM api_tokens WHERE name = ? AND revoked_at IS NULL"));
  SG_RETURN_IF_ERROR(q->Bind({std::string(name)}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Internal("the new token is not there");
  made.id = q->Int(0);
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  SG_RETURN_IF_ERROR(store::AppendAudit(conn, {actor.name, "token.create", "token", std::to_string(made.id),
                                               actor.address,
                                               fmt::format(R"({{"name":"{}","role":"{}"}})", name, RoleName(role))})
                         .status());
  SG_RETURN_IF_ERROR(tx.Commit());
  return made;
}

Result<Principal> AuthenticateBearer(store::Connection& conn, std::string_view token) {
  if (token.size() != kTokenLength || token.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return Unauthenticated(std::string(kBadToken));
  }
  for (char c : token.substr(kTokenPrefix.size())) {
    if (!Base64UrlChar(c)) return Unauthenticated(std::string(kBadToken));
  }
  SG_ASSIGN_OR_RETURN(auto q,
                      conn.Prepare("SELECT id, name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL"));
  SG_RETURN_IF_ERROR(q->Bind({Sha256Hex(token)}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Unauthenticated(std::string(kBadToken));
  auto role = ParseRole(q->Text(2));
  Principal p{PrincipalKind::kToken, q->Int(0), q->Text(1), role.value_or(Role::kReporter), false};
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  if (!role) return Unauthenticated(std::string(kBadToken));  // deny what we do not understand
  return p;
}

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() + 1) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = authorization[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return std::nullopt;
  }
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest.front() != ' ') return std::nullopt;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  if (rest.empty() || rest.find(' ') != std::string_view::npos) return std::nullopt;
  return rest;
}

Status RevokeToken(store::Connection& conn, std::string_view name, const Actor& actor) {
  SG_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(conn));
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id FROM api_tokens WHERE name = ? AND revoked_at IS NULL"));
  SG_RETURN_IF_ERROR(q->Bind({std::string(name)}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return NotFound(fmt::format("no live token named '{}'", name));
  const int64_t id = q->Int(0);
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  SG_RETURN_IF_ERROR(conn.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", {NowUtc(), id}).status());
  SG_RETURN_IF_ERROR(
      store::AppendAudit(conn, {actor.name, "token.revoke", "token", std::to_string(id), actor.address, ""})
          .status());
  return tx.Commit();
}

Result<std::vector<TokenInfo>> ListTokens(store::Connection& conn) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY id"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  std::vector<TokenInfo> out;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back({q->Int(0), q->Text(1), ParseRole(q->Text(2)).value_or(Role::kReporter), q->Text(3),
                   q->OptText(4)});
  }
  return out;
}

}  // namespace sg::security
