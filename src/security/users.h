// Users: people who sign in with a name and password (analysts, admins;
// a reporter is normally an API token, but a reporter user is allowed).
//
// Passwords are kept only as Argon2id strings (libsodium crypto_pwhash_str:
// "$argon2id$v=19$m=65536,t=2,p=1$salt$hash"); the cost is inside each
// string, so a hash made with an older cost still verifies and is rehashed
// at the next successful sign-in.
//
// Each function that writes runs its own write transaction (do not call it
// inside one) and appends an audit entry in it, with the caller's Actor.
// Thread safety: as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "security/roles.h"
#include "store/database.h"

namespace sg::security {

// Argon2id cost. kDefaultPasswordCost is libsodium's "interactive" level
// (2 passes over 64 MiB): measured in README.md. Tests pass kTestPasswordCost
// so hundreds of hashes stay fast; never use it elsewhere.
struct PasswordCost {
  unsigned long long opslimit;
  size_t memlimit;
};
extern const PasswordCost kDefaultPasswordCost;
extern const PasswordCost kTestPasswordCost;

inline constexpr size_t kMinPasswordLength = 12;    // bytes of UTF-8
inline constexpr size_t kMaxPasswordLength = 1024;  // a bound on hashing work
inline constexpr size_t kMaxNameLength = 64;

// A user or token name: 1..64 of a-z 0-9 . _ - starting with a letter or
// digit. Lower case only, so "Alice" and "alice" cannot be two accounts.
Status ValidateName(std::string_view kind, std::string_view name);
// Length limits of a password (kInvalidArgument saying which).
Status ValidatePassword(std::string_view password);

// The Argon2id string for `password`.
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost = kDefaultPasswordCost);

// Creates a user; kAlreadyExists if the name is taken, kInvalidArgument for
// a bad name or password. Returns the new user as a kUser principal.
Result<Principal> CreateUser(store::Connection& conn, std::string_view name, Role role, std::string_view password,
                             const Actor& actor, const PasswordCost& cost = kDefaultPasswordCost);

// Checks a name and password. Every failure (unknown or disabled user,
// wrong password) is the same kUnauthenticated error and takes about the
// same time: an unknown name is checked against a dummy hash of the same
// cost. Rehashes the password when its cost is below `cost`.
Result<Principal> Authenticate(store::Connection& conn, std::string_view name, std::string_view password,
                               const PasswordCost& cost = kDefaultPasswordCost);

// Sets a new password (and clears must_change_password); kNotFound if there
// is no such user.
Status SetPassword(store::Connection& conn, std::string_view name, std::string_view password, const Actor& actor,
                   const PasswordCost& cost = kDefaultPasswordCost);

Result<int64_t> CountUsers(store::Connection& conn);

// On a database that has never had users: creates the user "admin" with a
// random password (must_change_password set) and returns that password,
// once. Returns nullopt if there are users, or if the bootstrap already
// happened (recorded in security_state, so deleting every user later does
// not print a new password: use `safeguard users add` then). Of several
// server processes starting at once, exactly one gets the password: the
// check and the insert share one write transaction.
Result<std::optional<std::string>> EnsureBootstrapAdmin(store::Connection& conn,
                                                        const PasswordCost& cost = kDefaultPasswordCost);

}  // namespace sg::security
