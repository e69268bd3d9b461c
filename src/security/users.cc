#include "security/users.h"

#include <sodium.h>

#include <map>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "core/time.h"
#include "security/crypto.h"
#include "store/audit.h"

namespace sg::security {

const PasswordCost kDefaultPasswordCost = {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
const PasswordCost kTestPasswordCost = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

namespace {

constexpr std::string_view kBadCredentials = "wrong user name or password";
constexpr std::string_view kBootstrapKey = "bootstrap_admin";

// A hash of a random password at `cost`, made once per cost: what an
// unknown user name is verified against, so that it costs what a known one
// does. Nobody knows the password, so it never verifies.
const std::string& DummyHash(const PasswordCost& cost) {
  static std::mutex mu;
  static std::map<std::pair<unsigned long long, size_t>, std::string> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::string& h = cache[{cost.opslimit, cost.memlimit}];
  if (h.empty()) {
    auto made = HashPassword(RandomId(), cost);
    h = made.ok() ? *made : std::string("$argon2id$unusable");
  }
  return h;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  // crypto_pwhash_str_verify compares in constant time.
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace

Status ValidateName(std::string_view kind, std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return InvalidArgument(fmt::format("{} name must be 1 to {} characters", kind, kMaxNameLength));
  }
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(name[0])) {
    return InvalidArgument(fmt::format("{} name must start with a lower-case letter or a digit", kind));
  }
  for (char c : name) {
    if (!lower_or_digit(c) && c != '.' && c != '_' && c != '-') {
      return InvalidArgument(
          fmt::format("{} name may hold only a-z, 0-9, '.', '_' and '-' (lower case)", kind));
    }
  }
  return Status::Ok();
}

Status ValidatePassword(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return InvalidArgument(fmt::format("the password is too short: at least {} characters", kMinPasswordLength));
  }
  if (password.size() > kMaxPasswordLength) {
    return InvalidArgument(fmt::format("the password is too long: at most {} characters", kMaxPasswordLength));
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhausted("hashing the password failed: not enough memory for Argon2id");
  }
  return std::string(out);
}

Result<Principal> CreateUser(store::Connection& conn, std::string_view name, Role role, std::string_view password,
                             const Actor& actor, const PasswordCost& cost) {
  SG_RETURN_IF_ERROR(ValidateName("user", name));
  SG_RETURN_IF_ERROR(ValidatePassword(password));
  // Hashed before the transaction: the write lock is not held while
  // Argon2id runs.
  SG_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, cost));
  SG_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(conn));
  auto inserted = conn.Exec("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                            {std::string(name), std::string(RoleName(role)), hash, NowUtc()});
  if (!inserted.ok()) {
    if (inserted.status().code() == StatusCode::kAlreadyExists) {
      return Status(StatusCode::kAlreadyExists, fmt::format("user '{}' already exists", name));
    }
    return inserted.status();
  }
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id FROM users WHERE name = ?"));
  SG_RETURN_IF_ERROR(q->Bind({std::string(name)}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Internal("the new user is not there");
  Principal p{PrincipalKind::kUser, q->Int(0), std::string(name), role, false};
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  // Names are validated to [a-z0-9._-], so they need no JSON escaping.
  SG_RETURN_IF_ERROR(store::AppendAudit(conn, {actor.name, "user.create", "user", std::to_string(p.id),
                                               actor.address,
                                               fmt::format(R"({{"name":"{}","role":"{}"}})", name, RoleName(role))})
                         .status());
  SG_RETURN_IF_ERROR(tx.Commit());
  return p;
}

Result<Principal> Authenticate(store::Connection& conn, std::string_view name, std::string_view password,
                               const PasswordCost& cost) {
  EnsureSodium();
  std::optional<Principal> found;
  std::string hash;
  // A malformed name cannot exist: skip the query, not the hashing.
  if (ValidateName("user", name).ok() && password.size() <= kMaxPasswordLength) {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, role, password_hash, must_change_password FROM users "
                                             "WHERE name = ? AND disabled_at IS NULL"));
    SG_RETURN_IF_ERROR(q->Bind({std::string(name)}));
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (row) {
      auto role = ParseRole(q->Text(1));
      if (role) {
        found = Principal{PrincipalKind::kUser, q->Int(0), std::string(name), *role, q->Int(3) != 0};
        hash = q->Text(2);
      }
      SG_ASSIGN_OR_RETURN(bool more, q->Step());
      (void)more;
    }
  }
  const std::string_view checked = password.size() <= kMaxPasswordLength ? password : password.substr(0, 0);
  const bool ok = VerifyPassword(found ? hash : DummyHash(cost), checked);
  if (!found || !ok || password.size() > kMaxPasswordLength) return Unauthenticated(std::string(kBadCredentials));
  if (crypto_pwhash_str_needs_rehash(hash.c_str(), cost.opslimit, cost.memlimit) != 0) {
    // Best effort: a failure here must not refuse a correct password.
    auto rehashed = HashPassword(password, cost);
    if (rehashed.ok()) {
      (void)conn.Exec("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
                      {*rehashed, found->id, hash});
    }
  }
  return *found;
}

Status SetPassword(store::Connection& conn, std::string_view name, std::string_view password, const Actor& actor,
                   const PasswordCost& cost) {
  SG_RETURN_IF_ERROR(ValidatePassword(password));
  SG_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, cost));
  SG_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(conn));
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id FROM users WHERE name = ?"));
  SG_RETURN_IF_ERROR(q->Bind({std::string(name)}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return NotFound(fmt::format("no user '{}'", name));
  const int64_t id = q->Int(0);
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  SG_RETURN_IF_ERROR(
      conn.Exec("UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?", {hash, id}).status());
  // Sessions made with the old password end with it.
  SG_RETURN_IF_ERROR(conn.Exec("DELETE FROM sessions WHERE user_id = ?", {id}).status());
  SG_RETURN_IF_ERROR(
      store::AppendAudit(conn, {actor.name, "user.password", "user", std::to_string(id), actor.address, ""})
          .status());
  return tx.Commit();
}

Result<int64_t> CountUsers(store::Connection& conn) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT count(*) FROM users"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Internal("count(*) returned no row");
  const int64_t n = q->Int(0);
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  return n;
}

Result<std::optional<std::string>> EnsureBootstrapAdmin(store::Connection& conn, const PasswordCost& cost) {
  // A cheap look first, so an ordinary start neither hashes nor locks.
  SG_ASSIGN_OR_RETURN(int64_t users, CountUsers(conn));
  if (users > 0) return std::optional<std::string>();
  // 24 random bytes: 32 characters of base64url, 192 bits.
  std::vector<uint8_t> bytes = RandomBytes(24);
  std::string password = Base64Url(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  SG_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, cost));

  SG_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(conn));
  // Checked again under the write lock: another process may have won.
  SG_ASSIGN_OR_RETURN(users, CountUsers(conn));
  SG_ASSIGN_OR_RETURN(auto done, conn.Prepare("SELECT value FROM security_state WHERE key = ?"));
  SG_RETURN_IF_ERROR(done->Bind({std::string(kBootstrapKey)}));
  SG_ASSIGN_OR_RETURN(bool already, done->Step());
  if (already) {
    SG_ASSIGN_OR_RETURN(bool more, done->Step());
    (void)more;
  }
  if (users > 0 || already) return std::optional<std::string>();
  const std::string now = NowUtc();
  SG_RETURN_IF_ERROR(conn.Exec("INSERT INTO users (name, role, password_hash, must_change_password, created_at) "
                               "VALUES ('admin', 'admin', ?, 1, ?)",
                               {hash, now})
                         .status());
  SG_RETURN_IF_ERROR(conn.Exec("INSERT INTO security_state (key, value, created_at) VALUES (?, 'done', ?)",
                               {std::string(kBootstrapKey), now})
                         .status());
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id FROM users WHERE name = 'admin'"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Internal("the bootstrap admin is not there");
  const int64_t id = q->Int(0);
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  SG_RETURN_IF_ERROR(store::AppendAudit(conn, {"system:bootstrap", "user.create", "user", std::to_string(id), "",
                                               R"({"name":"admin","role":"admin","bootstrap":true})"})
                         .status());
  SG_RETURN_IF_ERROR(tx.Commit());
  return std::optional<std::string>(std::move(password));
}

}  // namespace sg::security
