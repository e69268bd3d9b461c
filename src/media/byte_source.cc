#include "media/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace sg::media {

Result<ByteSource> ByteSource::OpenFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT) return NotFound("no such file");
    if (e == ELOOP) return Unsupported("is a symbolic link (not followed)");
    return IoError(fmt::format("cannot open: {}", std::strerror(e)));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Unsupported(S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return ByteSource(fd, path, {});
}

ByteSource ByteSource::FromMemory(std::span<const uint8_t> bytes) { return ByteSource(-1, "<memory>", bytes); }

ByteSource::ByteSource(int fd, std::string name, std::span<const uint8_t> memory)
    : fd_(fd), name_(std::move(name)), memory_(memory) {
  if (fd_ < 0) {
    end_ = memory_.size();
    eof_ = true;
  } else {
    buf_.resize(kChunk);
  }
}

ByteSource::ByteSource(ByteSource&& o) noexcept
    : fd_(o.fd_), name_(std::move(o.name_)), memory_(o.memory_), buf_(std::move(o.buf_)), pos_(o.pos_),
      end_(o.end_), eof_(o.eof_), consumed_(o.consumed_), hasher_(o.hasher_) {
  o.fd_ = -1;
}

ByteSource::~ByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

Status ByteSource::Fill(size_t want) {
  if (fd_ < 0) return Status::Ok();
  if (end_ - pos_ >= want || eof_) return Status::Ok();
  // Compact, grow if needed, then read until `want` bytes are buffered.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (buf_.size() < want) buf_.resize(std::max(want, buf_.size() * 2));
  while (end_ < want && !eof_) {
    ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(fmt::format("read failed: {}", std::strerror(errno)));
    }
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<std::span<const uint8_t>> ByteSource::Peek(size_t n) {
  SG_RETURN_IF_ERROR(Fill(n));
  const uint8_t* data = fd_ < 0 ? memory_.data() : buf_.data();
  return std::span<const uint8_t>(data + pos_, std::min(n, end_ - pos_));
}

Result<std::span<const uint8_t>> ByteSource::Next(size_t max) {
  if (pos_ == end_) SG_RETURN_IF_ERROR(Fill(1));
  const uint8_t* data = fd_ < 0 ? memory_.data() : buf_.data();
  size_t n = std::min(max, end_ - pos_);
  std::span<const uint8_t> out(data + pos_, n);
  pos_ += n;
  consumed_ += n;
  if (hasher_) hasher_->Update(out);
  return out;
}

Status ByteSource::ReadExact(uint8_t* out, size_t n) {
  while (n > 0) {
    SG_ASSIGN_OR_RETURN(auto chunk, Next(n));
    if (chunk.empty()) return DataLoss("truncated: unexpected end of file");
    std::memcpy(out, chunk.data(), chunk.size());
    out += chunk.size();
    n -= chunk.size();
  }
  return Status::Ok();
}

Status ByteSource::Skip(size_t n) {
  while (n > 0) {
    SG_ASSIGN_OR_RETURN(auto chunk, Next(n));
    if (chunk.empty()) return DataLoss("truncated: unexpected end of file");
    n -= chunk.size();
  }
  return Status::Ok();
}

Status ByteSource::ReadAll(std::vector<uint8_t>& out, size_t limit) {
  out.clear();
  for (;;) {
    SG_ASSIGN_OR_RETURN(auto chunk, Next());
    if (chunk.empty()) return Status::Ok();
    if (out.size() + chunk.size() > limit) {
      return ResourceExhausted(fmt::format("file larger than the {} MB limit for this format", limit >> 20));
    }
    out.insert(out.end(), chunk.begin(), chunk.end());
  }
}

Status ByteSource::Drain() {
  for (;;) {
    SG_ASSIGN_OR_RETURN(auto chunk, Next());
    if (chunk.empty()) return Status::Ok();
  }
}

}  // namespace sg::media
