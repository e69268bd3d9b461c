// The one-hash-per-line formats: te ("pdq <hex>"), hex, md5, sha1, sha256.
#include <cctype>

#include <fmt/format.h>

#include "core/text.h"
#include "core/utf8.h"
#include "matching/list_reader.h"

namespace sg::matching {
namespace {

Status SetHash(ListEntry& e, std::string_view kind, std::string_view text) {
  auto hex = NormalizeHashHex(kind, text);
  if (!hex.ok()) return hex.status();
  if (kind == "md5") e.md5 = *hex;
  else if (kind == "sha1") e.sha1 = *hex;
  else if (kind == "sha256") e.sha256 = *hex;
  else e.pdq = *hex;
  return Status::Ok();
}

// "pdq <hex> [anything]": the type word, then the hash; what follows is kept
// as the label.
Status ParseTeLine(std::string_view line, ListEntry& e) {
  size_t sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) {
    return InvalidArgument(fmt::format("expected '<type> <hash>' (e.g. 'pdq <64 hex digits>'), got '{}'",
                                       line.substr(0, 80)));
  }
  const std::string type = AsciiLower(line.substr(0, sp));
  std::string_view rest = TrimAscii(line.substr(sp));
  size_t end = rest.find_first_of(" \t");
  std::string_view hash = rest.substr(0, end);
  if (type != "pdq" && type != "md5" && type != "sha1" && type != "sha256") {
    return InvalidArgument(fmt::format("unknown hash type '{}' (expected pdq, md5, sha1 or sha256)", type));
  }
  SG_RETURN_IF_ERROR(SetHash(e, type, hash));
  if (end != std::string_view::npos) {
    std::string_view label = TrimAscii(rest.substr(end));
    if (!label.empty()) e.label = std::string(label);
  }
  return Status::Ok();
}

// "<hex>[,label]"
Status ParseHexLine(std::string_view kind, std::string_view line, ListEntry& e) {
  size_t comma = line.find(',');
  SG_RETURN_IF_ERROR(SetHash(e, kind, TrimAscii(line.substr(0, comma))));
  if (comma != std::string_view::npos) {
    std::string_view label = TrimAscii(line.substr(comma + 1));
    if (!label.empty()) e.label = std::string(label);
  }
  return Status::Ok();
}

}  // namespace

Status ReadLineList(ListFormat format, LineSource& source, const EntrySink& sink) {
  std::string line;
  while (source.Next(&line)) {
    const int64_t n = source.line_number();
    std::string_view text = TrimAscii(line);
    if (n == 1 && text.starts_with("\xEF\xBB\xBF")) text = TrimAscii(text.substr(3));  // UTF-8 BOM
    if (text.empty() || text.front() == '#') continue;
    if (!IsValidUtf8(text)) return source.ErrorAt(n, "not valid UTF-8 text");
    ListEntry e;
    Status s;
    switch (format) {
      case ListFormat::kTe: s = ParseTeLine(text, e); break;
      case ListFormat::kHex: s = ParseHexLine("pdq", text, e); break;
      case ListFormat::kMd5: s = ParseHexLine("md5", text, e); break;
      case ListFormat::kSha1: s = ParseHexLine("sha1", text, e); break;
      case ListFormat::kSha256: s = ParseHexLine("sha256", text, e); break;
      default: return Internal("ReadLineList: not a line format");
    }
    if (!s.ok()) return source.ErrorAt(n, s.message());
    s = sink(std::move(e), n);
    if (!s.ok()) return source.Locate(n, s);
  }
  return source.error();
}

Status ReadList(ListFormat format, LineSource& source, const EntrySink& sink) {
  switch (format) {
    case ListFormat::kVics: return ReadVics(source, sink);
    case ListFormat::kCsv: return ReadCsvList(source, sink);
    default: return ReadLineList(format, source, sink);
  }
}

}  // namespace sg::matching
