// ByteSource: sequential reading of a file (or an in-memory buffer) in chunks,
// with every byte consumed also fed to an optional CryptoHasher. Decoders pull
// from it, so one read of the file serves both the decoder and the crypto
// hashes; Drain() finishes the hashes when the decoder stops early.
// Thread safety: one source per thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "hashing/crypto_hash.h"

namespace sg::media {

class ByteSource {
 public:
  static constexpr size_t kChunk = 256 * 1024;

  // Opens a regular file. Errors name the path and the OS reason.
  static Result<ByteSource> OpenFile(const std::string& path);
  // Reads from memory that must outlive the source.
  static ByteSource FromMemory(std::span<const uint8_t> bytes);

  ByteSource(ByteSource&& other) noexcept;
  ByteSource& operator=(ByteSource&&) = delete;
  ~ByteSource();

  void set_hasher(hashing::CryptoHasher* hasher) { hasher_ = hasher; }

  // The first bytes, without consuming them (for type sniffing).
  Result<std::span<const uint8_t>> Peek(size_t n);
  // The next chunk of at most `max` bytes; empty at end of input.
  Result<std::span<const uint8_t>> Next(size_t max = kChunk);
  // Copies exactly n bytes (fails with "truncated" at end of input).
  Status ReadExact(uint8_t* out, size_t n);
  // Skips n bytes (they are still hashed).
  Status Skip(size_t n);
  // Reads everything left into `out`; fails if more than `limit` bytes.
  Status ReadAll(std::vector<uint8_t>& out, size_t limit);
  // Consumes to the end so the crypto hashes cover the whole file.
  Status Drain();

  uint64_t consumed() const { return consumed_; }
  const std::string& name() const { return name_; }

 private:
  ByteSource(int fd, std::string name, std::span<const uint8_t> memory);
  Status Fill(size_t want);  // ensures buffered >= want unless at EOF

  int fd_ = -1;
  std::string name_;
  std::span<const uint8_t> memory_;  // when reading from memory
  std::vector<uint8_t> buf_;
  size_t pos_ = 0, end_ = 0;  // unread bytes are buf_[pos_, end_)
  bool eof_ = false;
  uint64_t consumed_ = 0;
  hashing::CryptoHasher* hasher_ = nullptr;
};

}  // namespace sg::media
