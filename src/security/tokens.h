// API tokens: how an industry platform (role reporter), or a script of the
// unit (analyst, admin), authenticates: `Authorization: Bearer TOKEN`.
//
// A token is "sgt_" followed by 32 random bytes in base64url (47
// characters). Only its SHA-256 is stored. A fast hash is right here, where
// it would be wrong for passwords: a token has 256 bits of entropy, so
// nobody can guess it or search for it from a stolen hash however fast
// each try is, and a fast hash lets every request be checked cheaply.
// Lookup is by that hash through a unique index, so no secret is compared
// in code at all: timing can only reveal the hash of a candidate, which the
// attacker already knows, never a byte of a stored token.
//
// Writes run their own write transaction with an audit entry.
// Thread safety: as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "security/roles.h"
#include "store/database.h"

namespace sg::security {

inline constexpr std::string_view kTokenPrefix = "sgt_";

struct NewToken {
  int64_t id = 0;
  std::string token;  // shown once; never stored
};

// Creates a token; kAlreadyExists if a live token has this name (a revoked
// name may be reused), kInvalidArgument for a bad name (users.h rules).
Result<NewToken> CreateToken(store::Connection& conn, std::string_view name, Role role, const Actor& actor);

// The token's principal (kind kToken); kUnauthenticated for anything that
// is not a live token (malformed, unknown, revoked), always the same error.
Result<Principal> AuthenticateBearer(store::Connection& conn, std::string_view token);

// The token of an Authorization header value "Bearer TOKEN" (the scheme in
// any case, RFC 9110 11.1), or nullopt.
std::optional<std::string_view> BearerToken(std::string_view authorization);

// Revokes the live token of this name; kNotFound if there is none.
Status RevokeToken(store::Connection& conn, std::string_view name, const Actor& actor);

struct TokenInfo {
  int64_t id = 0;
  std::string name;
  Role role = Role::kReporter;
  std::string created_at;
  std::optional<std::string> revoked_at;
};
// Every token, live and revoked, by id (never the token text: it is not kept).
Result<std::vector<TokenInfo>> ListTokens(store::Connection& conn);

}  // namespace sg::security
