#include "cli/hash_output.h"

#include <malloc.h>

#include <fmt/format.h>

#include "core/utf8.h"

namespace sg::cli {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvHeader(bool dihedral) {
  return dihedral ? "path,pdq,quality,md5,sha1,sha256,pdq_dihedral\n" : "path,pdq,quality,md5,sha1,sha256\n";
}

std::string CsvLine(const media::FileHashes& h, bool dihedral) {
  std::string pdq, quality, variants;
  if (h.pdq) {
    pdq = h.pdq->hash.ToHex();
    quality = std::to_string(h.pdq->quality);
  }
  if (dihedral && h.dihedral) {
    // Eight hashes in one field, space-separated, in the reference's order.
    for (const auto& v : *h.dihedral) variants += (variants.empty() ? "" : " ") + v.ToHex();
  }
  const auto& c = h.crypto.value();
  std::string line = fmt::format("{},{},{},{},{},{}", CsvField(h.path), pdq, quality, c.md5, c.sha1, c.sha256);
  if (dihedral) line += "," + variants;
  return line + "\n";
}

boost::json::object HashJson(const media::FileHashes& h, bool dihedral) {
  boost::json::object o;
  o["path"] = ToValidUtf8(h.path);
  if (h.pdq) {
    o["pdq"] = h.pdq->hash.ToHex();
    o["quality"] = h.pdq->quality;
  } else {
    o["pdq"] = nullptr;
    o["quality"] = nullptr;
  }
  if (h.crypto) {
    o["md5"] = h.crypto->md5;
    o["sha1"] = h.crypto->sha1;
    o["sha256"] = h.crypto->sha256;
  } else {
    o["md5"] = nullptr;
    o["sha1"] = nullptr;
    o["sha256"] = nullptr;
  }
  if (dihedral) {
    if (h.dihedral) {
      boost::json::array a;
      for (const auto& v : *h.dihedral) a.emplace_back(v.ToHex());
      o["pdq_dihedral"] = std::move(a);
    } else {
      o["pdq_dihedral"] = nullptr;
    }
  }
  if (!h.error.ok()) o["error"] = ToValidUtf8(h.error.message());
  return o;
}

std::string ErrorLine(const media::FileHashes& h) { return fmt::format("{}: {}", h.path, h.error.message()); }

media::FileHashes HashWalkEntry(const WalkEntry& entry, const media::FileHashOptions& options) {
  if (entry.error.ok()) return media::HashFile(entry.path, options);
  media::FileHashes h;
  h.path = entry.path;
  h.error = entry.error;
  return h;
}

// Every image allocates and frees the same large buffers (libjpeg's, the
// PDQ rows). By default glibc maps the big ones fresh and returns freed
// memory at the top of the heap to the kernel, so each image pays a page
// fault per 4 KB again: 5% of `safeguard hash` in perf, all system time.
// Keeping up to a few dozen MB for reuse removes that.
void KeepFreedMemory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

}  // namespace sg::cli
