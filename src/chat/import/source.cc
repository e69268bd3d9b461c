#include "chat/import/source.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/utf8.h"

namespace sg::chat {

Status ErrorAt(std::string_view name, uint64_t line, std::string_view reason) {
  return InvalidArgument(fmt::format("{}:{}: {}", name, line, reason));
}

std::string CleanText(std::string_view s) {
  std::string out = ToValidUtf8(s);
  if (out.find('\0') == std::string::npos) return out;
  std::string clean;
  clean.reserve(out.size() + 8);
  for (char c : out) {
    if (c == '\0') clean += "\xEF\xBF\xBD";
    else clean.push_back(c);
  }
  return clean;
}

Result<std::unique_ptr<ByteSource>> ByteSource::OpenFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgument(fmt::format("{}: is a directory, not a chat log", path.string()));
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    std::string message = fmt::format("{}: cannot open: {}", path.string(), std::strerror(err));
    return err == ENOENT ? NotFound(message) : IoError(message);
  }
  std::unique_ptr<ByteSource> src(new ByteSource());
  src->name_ = path.string();
  src->file_ = f;
  return src;
}

std::unique_ptr<ByteSource> ByteSource::FromString(std::string name, std::string content) {
  std::unique_ptr<ByteSource> src(new ByteSource());
  src->name_ = std::move(name);
  src->memory_ = std::move(content);
  return src;
}

ByteSource::~ByteSource() {
  if (file_ != nullptr) std::fclose(file_);
}

Result<size_t> ByteSource::Read(char* buf, size_t n) {
  if (file_ == nullptr) {
    const size_t k = std::min(n, memory_.size() - memory_pos_);
    std::memcpy(buf, memory_.data() + memory_pos_, k);
    memory_pos_ += k;
    return k;
  }
  const size_t k = std::fread(buf, 1, n, file_);
  if (k == 0 && std::ferror(file_)) {
    return IoError(fmt::format("{}: read failed: {}", name_, std::strerror(errno)));
  }
  return k;
}

namespace {
constexpr size_t kChunk = 64 * 1024;
}

LineReader::LineReader(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {}

Status LineReader::Fill() {
  buffer_.resize(kChunk);
  SG_ASSIGN_OR_RETURN(size_t n, source_->Read(buffer_.data(), kChunk));
  buffer_.resize(n);
  pos_ = 0;
  if (n == 0) eof_ = true;
  return Status::Ok();
}

Result<bool> LineReader::Next(std::string_view* line) {
  line_.clear();
  bool straddled = false;
  while (true) {
    if (pos_ >= buffer_.size()) {
      if (eof_) break;
      SG_RETURN_IF_ERROR(Fill());
      if (eof_) break;
    }
    const char* start = buffer_.data() + pos_;
    const size_t avail = buffer_.size() - pos_;
    const void* nl = std::memchr(start, '\n', avail);
    if (nl != nullptr) {
      const size_t len = static_cast<const char*>(nl) - start;
      pos_ += len + 1;
      ++line_number_;
      std::string_view piece(start, len);
      if (straddled) {
        line_.append(piece);
        piece = line_;
      }
      if (piece.size() > kMaxLineBytes) {
        return ErrorAt(line_number_, fmt::format("line longer than {} MiB", kMaxLineBytes >> 20));
      }
      if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
      *line = piece;
      return true;
    }
    line_.append(start, avail);
    straddled = true;
    pos_ = buffer_.size();
    if (line_.size() > kMaxLineBytes) {
      return ErrorAt(line_number_ + 1, fmt::format("line longer than {} MiB", kMaxLineBytes >> 20));
    }
  }
  // End of input: a last line without a line break.
  if (!straddled) return false;
  ++line_number_;
  std::string_view piece = line_;
  if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
  *line = piece;
  return true;
}

}  // namespace sg::chat
