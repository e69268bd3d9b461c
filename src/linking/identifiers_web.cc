// Profile URLs, device ids, IP addresses and display names (identifiers.cc:
// kinds, emails, phones, screen names).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "core/text.h"
#include "core/utf8.h"
#include "linking/identifiers.h"

namespace sg::linking {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Sites whose profile paths ignore case (instagram.com/Alice_B is
// instagram.com/alice_b). Elsewhere the path keeps its case: many sites'
// paths are case-sensitive (YouTube channel ids, URL shorteners).
constexpr std::array<std::string_view, 9> kCaseInsensitivePaths = {
    "instagram.com", "twitter.com", "tiktok.com", "facebook.com", "snapchat.com",
    "reddit.com",    "github.com",  "twitch.tv",  "roblox.com",
};
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kHostAliases = {{
    {"x.com", "twitter.com"}, {"fb.com", "facebook.com"}, {"instagr.am", "instagram.com"},
    {"vm.tiktok.com", "tiktok.com"}, {"old.reddit.com", "reddit.com"},
}};

bool IsTrackingParameter(std::string_view name) {
  if (name.substr(0, 4) == "utm_") return true;
  for (std::string_view t : {"fbclid", "gclid", "igshid", "igsh", "si", "ref", "ref_src", "mibextid", "_t", "_r"}) {
    if (name == t) return true;
  }
  return false;
}

}  // namespace

Result<std::string> NormaliseProfileUrl(std::string_view raw) {
  std::string_view s = TrimAscii(raw);
  if (s.empty()) return InvalidArgument("profile URL: empty");
  const size_t scheme = s.find("://");
  const bool has_scheme = scheme != std::string_view::npos && scheme > 0 &&
                          std::all_of(s.begin(), s.begin() + scheme, [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  if (has_scheme) {
    const std::string name = AsciiLower(s.substr(0, scheme));
    if (name != "http" && name != "https") {
      return InvalidArgument(fmt::format("profile URL '{}': scheme '{}' is not http or https", raw, name));
    }
    s.remove_prefix(scheme + 3);
  } else if (s.substr(0, 2) == "//") {
    s.remove_prefix(2);
  }
  if (const size_t hash = s.find('#'); hash != std::string_view::npos) s = s.substr(0, hash);
  const size_t end_host = s.find_first_of("/?");
  std::string_view authority = s.substr(0, end_host);
  std::string_view path = end_host == std::string_view::npos ? std::string_view() : s.substr(end_host);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string host = AsciiLower(authority);
  if (const size_t colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos) {
    const std::string port = host.substr(colon + 1);
    host.resize(colon);
    if (port != "80" && port != "443" && !port.empty()) host += ":" + port;
  }
  while (!host.empty() && host.back() == '.') host.pop_back();
  for (bool stripped = true; stripped;) {  // "www.m.example.com": until none is left, a fixed point
    stripped = false;
    for (std::string_view prefix : {"www.", "m.", "mobile."}) {
      if (host.substr(0, prefix.size()) == prefix && host.size() > prefix.size()) {
        host.erase(0, prefix.size());
        stripped = true;
      }
    }
  }
  for (const auto& [alias, name] : kHostAliases) {
    if (host == alias) host = name;
  }
  if (host.empty() || host.find('.') == std::string::npos) {
    return InvalidArgument(fmt::format("profile URL '{}': no host name", raw));
  }
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '[' || c == ']' ||
          static_cast<unsigned char>(c) >= 0x80)) {
      return InvalidArgument(fmt::format("profile URL '{}': character '{}' in the host", raw, c));
    }
  }
  std::string_view query;
  if (const size_t q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  std::string p(path);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/") p.clear();
  if (std::find(kCaseInsensitivePaths.begin(), kCaseInsensitivePaths.end(), host) != kCaseInsensitivePaths.end()) {
    p = AsciiLower(p);
  }
  std::string kept;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty()) continue;
    if (IsTrackingParameter(AsciiLower(param.substr(0, param.find('='))))) continue;
    kept += kept.empty() ? "?" : "&";
    kept += param;
  }
  return host + p + kept;
}

int LuhnCheckDigit(std::string_view digits) {
  // Doubling every second digit from the right of the full number, i.e.
  // starting with the last digit of the payload.
  int sum = 0;
  bool dbl = true;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return (10 - sum % 10) % 10;
}

Result<std::string> NormaliseDeviceId(std::string_view raw) {
  std::string_view s = TrimAscii(raw);
  if (s.empty()) return InvalidArgument("device id: empty");
  std::string lower = AsciiLower(s);
  std::string_view body = lower;
  if (body.substr(0, 5) == "imei:" || body.substr(0, 5) == "imei ") body = TrimAscii(body.substr(5));
  std::string digits;
  bool only_digits = !body.empty();
  for (char c : body) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (!(c == ' ' || c == '-' || c == '.' || c == '/')) {
      only_digits = false;
      break;
    }
  }
  if (only_digits) {
    if (digits.size() == 15) {
      if (LuhnCheckDigit(std::string_view(digits).substr(0, 14)) != digits[14] - '0') {
        return InvalidArgument(fmt::format("device id '{}': 15 digits but the IMEI check digit is wrong", raw));
      }
      return "imei:" + digits;
    }
    if (digits.size() == 14 || digits.size() == 16) {  // without check digit; IMEISV (14 + 2 version digits)
      digits.resize(14);
      return fmt::format("imei:{}{}", digits, LuhnCheckDigit(digits));
    }
  }
  for (char c : lower) {
    if (static_cast<unsigned char>(c) < 0x20) return InvalidArgument(fmt::format("device id '{}': control character", raw));
  }
  return "device:" + lower;
}

Result<std::string> NormaliseIp(std::string_view raw) {
  std::string s(TrimAscii(raw));
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  char out[INET6_ADDRSTRLEN];
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    inet_ntop(AF_INET, &v4, out, sizeof out);
    return std::string(out);
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
      std::memcpy(&v4, &v6.s6_addr[12], 4);
      inet_ntop(AF_INET, &v4, out, sizeof out);
    } else {
      inet_ntop(AF_INET6, &v6, out, sizeof out);
    }
    return std::string(out);
  }
  return InvalidArgument(fmt::format("ip '{}': not an IPv4 or IPv6 address", raw));
}

Result<std::string> NormaliseDisplayName(std::string_view raw) {
  if (!IsValidUtf8(raw)) return InvalidArgument("display name: not UTF-8");
  const std::string text(raw);
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> folded(
      utf8proc_NFKC_Casefold(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str())), &std::free);
  if (!folded) return InvalidArgument(fmt::format("display name '{}': cannot be normalised", raw));
  std::string out;
  bool space = false;
  for (const char* p = reinterpret_cast<const char*>(folded.get()); *p != '\0'; ++p) {
    const char c = *p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (out.empty()) return InvalidArgument("display name: empty");
  return out;
}

}  // namespace sg::linking
