// Streaming MD5, SHA-1 and SHA-256 of a byte stream (OpenSSL EVP), fed in
// chunks so that a large file never needs to sit in memory whole.
// Thread safety: one object per stream; distinct objects are independent.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace sg::hashing {

struct CryptoDigests {
  std::string md5, sha1, sha256;  // lowercase hex
};

class CryptoHasher {
 public:
  CryptoHasher();
  ~CryptoHasher();
  CryptoHasher(const CryptoHasher&) = delete;
  CryptoHasher& operator=(const CryptoHasher&) = delete;

  void Update(std::span<const uint8_t> bytes);
  // Ends the stream; the hasher may be reused after Reset().
  CryptoDigests Finish();
  void Reset();
  uint64_t bytes() const { return bytes_; }

 private:
  struct Contexts;
  std::unique_ptr<Contexts> ctx_;
  uint64_t bytes_ = 0;
};

// Convenience for small in-memory inputs.
CryptoDigests DigestBytes(std::span<const uint8_t> bytes);

}  // namespace sg::hashing
