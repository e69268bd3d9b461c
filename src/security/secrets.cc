#include "security/secrets.h"

#include <sodium.h>

#include <charconv>

#include <fmt/format.h>

#include "core/hex.h"
#include "core/time.h"
#include "security/crypto.h"

namespace sg::security {
namespace {

constexpr std::chrono::seconds kAllowedSkew{60};

void AppendField(std::string& out, std::string_view field) {
  const uint64_t n = field.size();
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(field);
}

std::array<uint8_t, crypto_auth_hmacsha256_BYTES> Mac(const SecretKey& secret, std::string_view timestamp,
                                                      std::string_view binding) {
  EnsureSodium();
  std::string msg;
  AppendField(msg, "sg-csrf-v1");
  AppendField(msg, timestamp);
  AppendField(msg, binding);
  std::array<uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret.data(), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  sodium_memzero(&st, sizeof st);
  return mac;
}

Result<std::optional<SecretKey>> ReadSecret(store::Connection& conn, const std::string& key) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT value FROM security_state WHERE key = ?"));
  SG_RETURN_IF_ERROR(q->Bind({key}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<SecretKey>();
  auto bytes = HexDecode(q->Text(0), 32);
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  if (!bytes) return DataLoss(fmt::format("security_state {}: not 32 bytes of hex", key));
  SecretKey k;
  std::copy(bytes->begin(), bytes->end(), k.begin());
  sodium_memzero(bytes->data(), bytes->size());
  return std::optional<SecretKey>(k);
}

}  // namespace

Result<SecretKey> ServerSecret(store::Connection& conn, std::string_view name) {
  const std::string key = fmt::format("secret:{}", name);
  SG_ASSIGN_OR_RETURN(auto existing, ReadSecret(conn, key));
  if (existing) return *existing;
  SG_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(conn));
  // Under the write lock: another process may have made it meanwhile.
  SG_ASSIGN_OR_RETURN(existing, ReadSecret(conn, key));
  if (existing) return *existing;
  std::vector<uint8_t> bytes = RandomBytes(32);
  SG_RETURN_IF_ERROR(conn.Exec("INSERT INTO security_state (key, value, created_at) VALUES (?, ?, ?)",
                               {key, HexEncode(bytes), NowUtc()})
                         .status());
  SG_RETURN_IF_ERROR(tx.Commit());
  SecretKey k;
  std::copy(bytes.begin(), bytes.end(), k.begin());
  sodium_memzero(bytes.data(), bytes.size());
  return k;
}

std::string CsrfToken(const SecretKey& secret, std::string_view binding, std::chrono::system_clock::time_point now) {
  const std::string ts =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  const auto mac = Mac(secret, ts, binding);
  return ts + "." + Base64Url(std::vector<uint8_t>(mac.begin(), mac.end()));
}

Status VerifyCsrf(const SecretKey& secret, std::string_view binding, std::string_view token,
                  std::chrono::system_clock::time_point now, std::chrono::seconds max_age) {
  const Status invalid = PermissionDenied("invalid form token: reload the form and send it again");
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 19) return invalid;
  const std::string_view ts = token.substr(0, dot);
  int64_t seconds = 0;
  for (char c : ts) {
    if (c < '0' || c > '9') return invalid;  // no sign, no spaces: one spelling per time
  }
  if (ts.size() > 1 && ts[0] == '0') return invalid;
  auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), seconds);
  if (ec != std::errc() || end != ts.data() + ts.size()) return invalid;

  // The MAC first, so a forged time learns nothing from the answer.
  std::vector<uint8_t> given(crypto_auth_hmacsha256_BYTES);
  size_t given_len = 0;
  const std::string_view b64 = token.substr(dot + 1);
  if (sodium_base642bin(given.data(), given.size(), b64.data(), b64.size(), nullptr, &given_len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      given_len != given.size() || Base64Url(given) != b64) {
    return invalid;
  }
  const auto expected = Mac(secret, ts, binding);
  if (crypto_verify_32(given.data(), expected.data()) != 0) return invalid;

  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (seconds > now_s + kAllowedSkew.count()) return invalid;
  if (now_s - seconds > max_age.count()) {
    return PermissionDenied("the form has expired: reload it and send it again");
  }
  return Status::Ok();
}

}  // namespace sg::security
