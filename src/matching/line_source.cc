#include "matching/line_source.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <stdio.h>

#include <fmt/format.h>

namespace sg::matching {

Result<std::unique_ptr<LineSource>> LineSource::OpenFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgument(fmt::format("{}: is a directory, not a list file", path.string()));
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    int err = errno;
    std::string message = fmt::format("{}: cannot open: {}", path.string(), std::strerror(err));
    return err == ENOENT ? NotFound(message) : IoError(message);
  }
  std::unique_ptr<LineSource> src(new LineSource());
  src->name_ = path.string();
  src->file_ = f;
  return src;
}

std::unique_ptr<LineSource> LineSource::FromString(std::string name, std::string content) {
  std::unique_ptr<LineSource> src(new LineSource());
  src->name_ = std::move(name);
  src->memory_ = std::move(content);
  return src;
}

LineSource::~LineSource() {
  if (file_ != nullptr) std::fclose(file_);
  std::free(buffer_);
}

bool LineSource::Next(std::string* line) {
  line->clear();
  if (file_ != nullptr) {
    ssize_t n = ::getline(&buffer_, &buffer_size_, file_);
    if (n < 0) {
      if (std::ferror(file_)) read_error_ = true;
      return false;
    }
    line->assign(buffer_, static_cast<size_t>(n));
    if (!line->empty() && line->back() == '\n') line->pop_back();
  } else {
    if (memory_pos_ >= memory_.size()) return false;
    size_t end = memory_.find('\n', memory_pos_);
    if (end == std::string_view::npos) end = memory_.size();
    line->assign(memory_, memory_pos_, end - memory_pos_);
    memory_pos_ = end + 1;
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  ++line_number_;
  return true;
}

Status LineSource::error() const {
  if (!read_error_) return Status::Ok();
  return IoError(fmt::format("{}:{}: read error", name_, line_number_ + 1));
}

Status LineSource::ErrorAt(int64_t line, std::string_view reason) const {
  return InvalidArgument(fmt::format("{}:{}: {}", name_, line, reason));
}

Status LineSource::Locate(int64_t line, const Status& s) const {
  if (s.ok() || s.code() != StatusCode::kInvalidArgument) return s;
  return ErrorAt(line, s.message());
}

}  // namespace sg::matching
