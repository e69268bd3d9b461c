#include "matching/list_types.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>
#include <xxhash.h>

#include "core/hex.h"
#include "core/text.h"

namespace sg::matching {
namespace {

constexpr std::array<std::pair<Scheme, std::string_view>, 4> kSchemes = {{
    {Scheme::kUk, "uk"}, {Scheme::kIndustry, "industry"}, {Scheme::kVics, "vics"}, {Scheme::kNone, "none"}}};
constexpr std::array<std::pair<ListFormat, std::string_view>, 7> kFormats = {{
    {ListFormat::kVics, "vics"}, {ListFormat::kCsv, "csv"}, {ListFormat::kTe, "te"},
    {ListFormat::kHex, "hex"}, {ListFormat::kMd5, "md5"}, {ListFormat::kSha1, "sha1"},
    {ListFormat::kSha256, "sha256"}}};

}  // namespace

std::string_view SchemeName(Scheme s) {
  for (auto& [k, n] : kSchemes) if (k == s) return n;
  return "none";
}
std::optional<Scheme> ParseScheme(std::string_view name) {
  for (auto& [k, n] : kSchemes) if (n == name) return k;
  return std::nullopt;
}
std::string_view FormatName(ListFormat f) {
  for (auto& [k, n] : kFormats) if (k == f) return n;
  return "csv";
}
std::optional<ListFormat> ParseFormat(std::string_view name) {
  for (auto& [k, n] : kFormats) if (n == name) return k;
  return std::nullopt;
}
Scheme DefaultScheme(ListFormat f) { return f == ListFormat::kVics ? Scheme::kVics : Scheme::kNone; }

Result<std::optional<std::string>> NormalizeCategory(Scheme scheme, std::string_view raw) {
  raw = TrimAscii(raw);
  if (raw.empty()) return std::optional<std::string>();
  switch (scheme) {
    case Scheme::kUk: {
      std::string c = AsciiUpper(raw);
      if (c == "A" || c == "B" || c == "C") return std::optional<std::string>(c);
      return InvalidArgument(fmt::format("category '{}' is not one of the uk scheme's A, B, C", raw));
    }
    case Scheme::kIndustry: {
      std::string c = AsciiUpper(raw);
      if (c == "A1" || c == "A2" || c == "B1" || c == "B2") return std::optional<std::string>(c);
      return InvalidArgument(
          fmt::format("category '{}' is not one of the industry scheme's A1, A2, B1, B2", raw));
    }
    case Scheme::kVics: {
      if (raw.size() > 9 || !std::all_of(raw.begin(), raw.end(), [](char ch) {
            return std::isdigit(static_cast<unsigned char>(ch));
          })) {
        return InvalidArgument(fmt::format("category '{}' is not a VICS numeric category", raw));
      }
      return std::optional<std::string>(std::to_string(std::stol(std::string(raw))));
    }
    case Scheme::kNone: return std::optional<std::string>(std::string(raw));
  }
  return std::optional<std::string>();
}

Result<std::string> NormalizeHashHex(std::string_view kind, std::string_view text) {
  size_t digits = kind == "md5" ? 32 : kind == "sha1" ? 40 : 64;
  std::string_view t = TrimAscii(text);
  bool hex = std::all_of(t.begin(), t.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (t.size() != digits || !hex) {
    std::string shown(t.substr(0, 80));
    return InvalidArgument(fmt::format("'{}' is not a {} hash ({} hex digits expected)", shown,
                                       kind == "pdq" ? "PDQ" : AsciiUpper(kind), digits));
  }
  return AsciiLower(t);
}

std::string EntryKey(const ListEntry& e) {
  // Field tags keep ("", "ab") and ("ab", "") apart.
  std::string canonical = fmt::format("m{}|s{}|t{}|p{}", e.md5.value_or(""), e.sha1.value_or(""),
                                      e.sha256.value_or(""), e.pdq.value_or(""));
  XXH128_hash_t h = XXH3_128bits(canonical.data(), canonical.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

}  // namespace sg::matching
