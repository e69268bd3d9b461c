#include "hashing/crypto_hash.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/hex.h"

namespace sg::hashing {

struct CryptoHasher::Contexts {
  EVP_MD_CTX* md5 = EVP_MD_CTX_new();
  EVP_MD_CTX* sha1 = EVP_MD_CTX_new();
  EVP_MD_CTX* sha256 = EVP_MD_CTX_new();
  ~Contexts() {
    EVP_MD_CTX_free(md5);
    EVP_MD_CTX_free(sha1);
    EVP_MD_CTX_free(sha256);
  }
  void Init() {
    // Failing here means OpenSSL itself is broken: a start-up failure.
    if (!md5 || !sha1 || !sha256 || EVP_DigestInit_ex(md5, EVP_md5(), nullptr) != 1 ||
        EVP_DigestInit_ex(sha1, EVP_sha1(), nullptr) != 1 || EVP_DigestInit_ex(sha256, EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL digest initialisation failed");
    }
  }
};

CryptoHasher::CryptoHasher() : ctx_(std::make_unique<Contexts>()) { ctx_->Init(); }
CryptoHasher::~CryptoHasher() = default;

void CryptoHasher::Reset() {
  ctx_->Init();
  bytes_ = 0;
}

void CryptoHasher::Update(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return;
  EVP_DigestUpdate(ctx_->md5, bytes.data(), bytes.size());
  EVP_DigestUpdate(ctx_->sha1, bytes.data(), bytes.size());
  EVP_DigestUpdate(ctx_->sha256, bytes.data(), bytes.size());
  bytes_ += bytes.size();
}

CryptoDigests CryptoHasher::Finish() {
  auto finish = [](EVP_MD_CTX* c) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(c, out, &n);
    return HexEncode({out, n});
  };
  return {finish(ctx_->md5), finish(ctx_->sha1), finish(ctx_->sha256)};
}

CryptoDigests DigestBytes(std::span<const uint8_t> bytes) {
  CryptoHasher h;
  h.Update(bytes);
  return h.Finish();
}

}  // namespace sg::hashing
