// LineSource: reads text one line at a time from a file or from memory,
// counting lines from 1, with "\n" and "\r\n" endings stripped. Files are
// streamed, so a multi-GB list never sits in memory whole.
// Thread safety: one thread at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::matching {

class LineSource {
 public:
  static Result<std::unique_ptr<LineSource>> OpenFile(const std::filesystem::path& path);
  static std::unique_ptr<LineSource> FromString(std::string name, std::string content);
  ~LineSource();

  // Reads the next line into `line`; false at the end (or on a read error,
  // which error() then reports).
  bool Next(std::string* line);
  int64_t line_number() const { return line_number_; }
  const std::string& name() const { return name_; }
  Status error() const;

  // "NAME:LINE: reason", the form every import error takes.
  Status ErrorAt(int64_t line, std::string_view reason) const;
  // Gives a bad-input Status (kInvalidArgument) the "NAME:LINE: " prefix and
  // passes any other failure (a database error, say) through unchanged.
  Status Locate(int64_t line, const Status& s) const;

 private:
  LineSource() = default;
  std::string name_;
  std::FILE* file_ = nullptr;
  char* buffer_ = nullptr;  // getline's buffer, reused
  size_t buffer_size_ = 0;
  std::string memory_;  // FromString keeps its own copy
  size_t memory_pos_ = 0;
  int64_t line_number_ = 0;
  bool read_error_ = false;
};

}  // namespace sg::matching
