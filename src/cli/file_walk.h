// Expanding command-line paths into the list of files to read.
//
// Files named on the command line keep their order. A directory is walked
// only with `recursive`; its files are listed sorted by path (byte order), so
// output is reproducible. Symbolic links found inside a walk are never
// followed (seized media may hold links that point anywhere); they are
// counted in `skipped_links`. A path that cannot be listed becomes an entry
// with an error, so it is reported in its place without stopping the walk.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace sg::cli {

struct WalkEntry {
  std::string path;
  Status error;  // not OK: report this path as failed, do not read it
};

struct WalkResult {
  std::vector<WalkEntry> entries;
  size_t skipped_links = 0;
};

WalkResult ExpandPaths(const std::vector<std::string>& paths, bool recursive);

}  // namespace sg::cli
