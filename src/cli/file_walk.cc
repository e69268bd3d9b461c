#include "cli/file_walk.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace sg::cli {
namespace fs = std::filesystem;

namespace {

void WalkDirectory(const std::string& root, WalkResult& out) {
  std::vector<WalkEntry> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) {
    out.entries.push_back({root, IoError(fmt::format("cannot list directory: {}", ec.message()))});
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      found.push_back({it->path().string(), IoError(fmt::format("cannot list directory: {}", ec.message()))});
      ec.clear();
      continue;
    }
    const auto status = it->symlink_status(ec);
    if (ec) {
      found.push_back({it->path().string(), IoError(ec.message())});
      ec.clear();
      continue;
    }
    if (fs::is_symlink(status)) {
      ++out.skipped_links;
    } else if (fs::is_regular_file(status)) {
      found.push_back({it->path().string(), Status::Ok()});
    }
    // Directories are descended into; sockets, fifos and devices are skipped:
    // reading a fifo would hang, a device is not evidence content.
  }
  std::sort(found.begin(), found.end(), [](const WalkEntry& a, const WalkEntry& b) { return a.path < b.path; });
  for (auto& e : found) out.entries.push_back(std::move(e));
}

}  // namespace

WalkResult ExpandPaths(const std::vector<std::string>& paths, bool recursive) {
  WalkResult out;
  for (const auto& p : paths) {
    std::error_code ec;
    auto status = fs::status(p, ec);  // a link named explicitly is followed
    if (ec || !fs::exists(status)) {
      out.entries.push_back({p, NotFound("no such file or directory")});
    } else if (fs::is_directory(status)) {
      if (recursive) {
        WalkDirectory(p, out);
      } else {
        out.entries.push_back({p, InvalidArgument("is a directory (use -r to walk it)")});
      }
    } else if (!fs::is_regular_file(status)) {
      out.entries.push_back({p, Unsupported("not a regular file")});
    } else {
      out.entries.push_back({p, Status::Ok()});
    }
  }
  return out;
}

}  // namespace sg::cli
