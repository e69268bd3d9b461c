// File I/O for the index: MappedFile (a whole file mapped read-only, unmapped
// on destruction; move-only) and WriteFileAtomically.
//
// Thread safety: the bytes may be read from any number of threads.
// Caveat: a mapping reflects later changes to the file; PdqIndex::Write
// replaces files by rename, so a mapped index file is never changed in place.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

#include "core/result.h"

namespace sg::matching::internal {

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // kNotFound if missing, kIoError if it cannot be read or mapped. An empty
  // file maps to an empty span.
  static Result<MappedFile> Open(const std::filesystem::path& path);

  std::span<const std::byte> bytes() const { return {data_, size_}; }

 private:
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

// Writes a file atomically: `fill` writes the content through the sink it is
// given into a temporary file in the same directory, which is fsynced and
// renamed over `path` (and the directory fsynced). On failure the temporary
// file is removed and `path` is untouched.
class FileSink;
Status WriteFileAtomically(const std::filesystem::path& path,
                           const std::function<Status(FileSink&)>& fill);

class FileSink {
 public:
  Status Append(std::span<const std::byte> bytes);

 private:
  friend Status WriteFileAtomically(const std::filesystem::path&,
                                    const std::function<Status(FileSink&)>&);
  FileSink(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  int fd_;
  std::string name_;
};

}  // namespace sg::matching::internal
