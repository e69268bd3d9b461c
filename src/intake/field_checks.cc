#include "intake/field_checks.h"

#include <arpa/inet.h>

#include <fmt/format.h>

#include "core/hex.h"
#include "hashing/hash256.h"

namespace sg::intake {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

bool IsPlainKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string Shortened(std::string_view text, size_t max_bytes) {
  size_t end = std::min(text.size(), max_bytes);
  while (end < text.size() && end > 0 && IsContinuation(static_cast<unsigned char>(text[end]))) --end;
  std::string out;
  for (size_t i = 0; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  if (end < text.size()) out += "...";
  return out;
}

}  // namespace

std::string ShowValue(std::string_view text) { return "'" + Shortened(text, 64) + "'"; }

void AppendKey(std::string* path, std::string_view key) {
  if (IsPlainKey(key)) {
    if (!path->empty()) path->push_back('.');
    path->append(key);
  } else {
    *path += "[\"" + Shortened(key, 64) + "\"]";
  }
}

std::optional<std::string> CheckText(std::string_view text, bool multiline, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!IsContinuation(c)) ++chars;
    // C0 controls and DEL are single bytes; C1 controls (U+0080..U+009F)
    // are 0xC2 followed by 0x80..0x9F.
    unsigned code = c;
    bool control = c < 0x20 || c == 0x7F;
    if (c == 0xC2 && i + 1 < text.size()) {
      unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next <= 0x9F) {
        code = next;
        control = true;
      }
    }
    if (control && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
      return multiline ? fmt::format("control character U+{:04X} is not allowed (only \\n, \\r and \\t are)", code)
                       : fmt::format("control character U+{:04X} is not allowed in single-line text", code);
    }
  }
  if (chars > max_chars) return fmt::format("{} characters; at most {} allowed", chars, max_chars);
  return std::nullopt;
}

Result<std::string> CanonicalHash(std::string_view kind, std::string_view hex) {
  if (kind == "pdq") {
    auto h = hashing::Hash256::FromHex(hex);
    if (!h) return InvalidArgument("not a PDQ hash (64 hex digits)");
    return h->ToHex();
  }
  struct Kind {
    std::string_view name, label;
    size_t bytes;
  };
  static constexpr Kind kKinds[] = {{"md5", "an MD5", 16}, {"sha1", "a SHA-1", 20}, {"sha256", "a SHA-256", 32}};
  for (const Kind& k : kKinds) {
    if (k.name != kind) continue;
    auto bytes = HexDecode(hex, k.bytes);
    if (!bytes) return InvalidArgument(fmt::format("not {} hash ({} hex digits)", k.label, 2 * k.bytes));
    return HexEncode(*bytes);
  }
  return Internal(fmt::format("unknown hash kind '{}'", kind));
}

Result<std::string> CanonicalIp(std::string_view text) {
  auto bad = [&] { return InvalidArgument(fmt::format("{} is not an IPv4 or IPv6 address", ShowValue(text))); };
  // The longest textual IPv6 address (with an embedded IPv4) is 45 characters.
  // inet_pton would stop at an embedded NUL and accept what came before.
  if (text.empty() || text.size() > 45 || text.find('\0') != std::string_view::npos) return bad();
  const std::string z(text);  // inet_pton wants a NUL-terminated string
  char out[INET6_ADDRSTRLEN];
  unsigned char v4[4], v6[16];
  if (inet_pton(AF_INET, z.c_str(), v4) == 1) {
    if (inet_ntop(AF_INET, v4, out, sizeof out) == nullptr) return bad();
    return std::string(out);
  }
  if (inet_pton(AF_INET6, z.c_str(), v6) == 1) {
    if (inet_ntop(AF_INET6, v6, out, sizeof out) == nullptr) return bad();
    return std::string(out);
  }
  return bad();
}

Status CheckEmail(std::string_view text) {
  size_t at = text.find('@');
  bool ok = at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
            text.find('@', at + 1) == std::string_view::npos;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') ok = false;
  }
  if (!ok) {
    return InvalidArgument(
        fmt::format("{} is not an email address (one @ with text on both sides, no spaces)", ShowValue(text)));
  }
  return Status::Ok();
}

}  // namespace sg::intake
