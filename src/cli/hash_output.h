// The output forms of `safeguard hash` (and the hash fields of `scan`):
// CSV with the header path,pdq,quality,md5,sha1,sha256, or one JSON object
// per line with those keys. Non-images have empty (CSV) or null (JSON) pdq
// and quality; failed files have an "error" key in JSON and a stderr line in
// CSV.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "cli/file_walk.h"
#include "media/file_hasher.h"

namespace sg::cli {

std::string CsvHeader(bool dihedral);
// One CSV line (with newline) for a file that hashed.
std::string CsvLine(const media::FileHashes& h, bool dihedral);
// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
std::string CsvField(const std::string& s);

// The JSON object for a file, with "error" when it failed.
boost::json::object HashJson(const media::FileHashes& h, bool dihedral);

// "path: reason" for stderr.
std::string ErrorLine(const media::FileHashes& h);

// The per-file step that `hash` and `scan` share: hashes one entry of a
// walk; an entry that could not be listed is reported as failed, unread.
media::FileHashes HashWalkEntry(const WalkEntry& entry, const media::FileHashOptions& options);

// Tunes glibc's allocator for hashing many images (see hash_output.cc).
void KeepFreedMemory();

}  // namespace sg::cli
