// Small cryptographic helpers shared by the security module, all from
// libsodium: random bytes, base64url, SHA-256 as hex. Thread safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sg::security {

// Initialises libsodium once (idempotent, thread safe). Throws
// std::runtime_error if it cannot (no usable random source): a start-up
// failure, never an expected one.
void EnsureSodium();

// `n` bytes from the operating system's CSPRNG.
std::vector<uint8_t> RandomBytes(size_t n);

// URL- and cookie-safe base64 (RFC 4648 section 5), without padding.
std::string Base64Url(const std::vector<uint8_t>& bytes);

// 32 random bytes as base64url (43 characters): session ids, form nonces.
std::string RandomId();

// Lowercase hex SHA-256 of `text`.
std::string Sha256Hex(std::string_view text);

}  // namespace sg::security
