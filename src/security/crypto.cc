#include "security/crypto.h"

#include <sodium.h>

#include <stdexcept>

#include "core/hex.h"

namespace sg::security {

void EnsureSodium() {
  // sodium_init is itself safe to call from several threads at once and
  // returns 1 when already done; the static only saves the call.
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium could not be initialised (no random source?)");
}

std::vector<uint8_t> RandomBytes(size_t n) {
  EnsureSodium();
  std::vector<uint8_t> out(n);
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string Base64Url(const std::vector<uint8_t>& bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string RandomId() {
  std::vector<uint8_t> bytes = RandomBytes(32);
  std::string id = Base64Url(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return id;
}

std::string Sha256Hex(std::string_view text) {
  EnsureSodium();
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return HexEncode(digest);
}

}  // namespace sg::security
