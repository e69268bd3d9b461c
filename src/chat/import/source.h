// The byte and line layer under every chat importer: a file (streamed in
// 64 KiB reads) or an in-memory string, read as bytes or as lines counted
// from 1 with "\n" / "\r\n" stripped. A line longer than kMaxLineBytes is an
// error, so a file without line breaks cannot make a reader hold all of it.
// Thread safety: one thread at a time. Owns its file handle.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::chat {

// "NAME:LINE: reason" as an InvalidArgument Status: the form of every
// malformed-input error of the importers.
Status ErrorAt(std::string_view name, uint64_t line, std::string_view reason);

// `s` as text for a Message: invalid UTF-8 and NUL bytes (which PostgreSQL
// text cannot hold) replaced with U+FFFD.
std::string CleanText(std::string_view s);

class ByteSource {
 public:
  static Result<std::unique_ptr<ByteSource>> OpenFile(const std::filesystem::path& path);
  static std::unique_ptr<ByteSource> FromString(std::string name, std::string content);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to `n` bytes into `buf`; 0 at the end of input.
  Result<size_t> Read(char* buf, size_t n);
  const std::string& name() const { return name_; }

 private:
  ByteSource() = default;
  std::string name_;
  std::FILE* file_ = nullptr;
  std::string memory_;
  size_t memory_pos_ = 0;
};

class LineReader {
 public:
  static constexpr size_t kMaxLineBytes = 16u << 20;

  explicit LineReader(std::unique_ptr<ByteSource> source);

  // The next line (without its ending) in `line`: true, or false at the end.
  // `line` stays valid until the next call.
  Result<bool> Next(std::string_view* line);
  // The number of the line last returned (1-based; 0 before the first).
  uint64_t line_number() const { return line_number_; }
  const std::string& name() const { return source_->name(); }
  Status ErrorAt(uint64_t line, std::string_view reason) const { return chat::ErrorAt(name(), line, reason); }

 private:
  Status Fill();

  std::unique_ptr<ByteSource> source_;
  std::string buffer_;   // unread bytes are buffer_[pos_, end)
  size_t pos_ = 0;
  bool eof_ = false;
  std::string line_;     // a line that straddled two reads
  uint64_t line_number_ = 0;
};

}  // namespace sg::chat
