// Kinds, emails, phones and screen names (identifiers_web.cc: profile URLs,
// device ids, IP addresses, display names).
#include "linking/identifiers.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "core/text.h"

namespace sg::linking {
namespace {

constexpr std::array<std::pair<IdentifierKind, std::string_view>, 7> kKinds = {{
    {IdentifierKind::kEmail, "email"},
    {IdentifierKind::kPhone, "phone"},
    {IdentifierKind::kScreenName, "screen_name"},
    {IdentifierKind::kProfileUrl, "profile_url"},
    {IdentifierKind::kDeviceId, "device_id"},
    {IdentifierKind::kIp, "ip"},
    {IdentifierKind::kDisplayName, "display_name"},
}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Replaces every occurrence of `from` in `s` by `to`.
void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Platforms whose screen names are compared case-sensitively, and aliases.
struct Platform {
  std::string_view name;
  bool case_sensitive;
};
// Most platforms treat names case-insensitively (Instagram, X/Twitter,
// TikTok, Snapchat, Reddit, Telegram, Roblox, Kik, YouTube handles, GitHub,
// Twitch, current Discord usernames). Legacy Discord tags ("Name#1234")
// were case-sensitive: that rule is applied to any name ending in #dddd on
// Discord, below.
constexpr std::array<Platform, 14> kPlatforms = {{
    {"instagram", false}, {"twitter", false},  {"facebook", false}, {"tiktok", false}, {"snapchat", false},
    {"reddit", false},    {"telegram", false}, {"roblox", false},   {"kik", false},    {"youtube", false},
    {"discord", false},   {"twitch", false},   {"whatsapp", false}, {"github", false},
}};
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kPlatformAliases = {{
    {"x", "twitter"}, {"x.com", "twitter"}, {"twitter.com", "twitter"}, {"fb", "facebook"},
    {"facebook.com", "facebook"}, {"insta", "instagram"}, {"instagram.com", "instagram"}, {"ig", "instagram"},
    {"snap", "snapchat"},
}};

bool EndsWithDiscordTag(std::string_view name) {
  if (name.size() < 6 || name[name.size() - 5] != '#') return false;
  return std::all_of(name.end() - 4, name.end(), IsDigit);
}

}  // namespace

std::string_view KindName(IdentifierKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<IdentifierKind> KindFromName(std::string_view name) {
  for (const auto& [k, n] : kKinds) {
    if (n == name) return k;
  }
  return std::nullopt;
}

bool IsStrong(IdentifierKind kind) { return kind != IdentifierKind::kIp && kind != IdentifierKind::kDisplayName; }

std::string Identifier::Text() const { return fmt::format("{}:{}", KindName(kind), value); }

Result<Identifier> ParseIdentifierText(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return InvalidArgument(fmt::format("identifier '{}': expected kind:value", text));
  }
  auto kind = KindFromName(TrimAscii(text.substr(0, colon)));
  if (!kind) return InvalidArgument(fmt::format("identifier '{}': unknown kind", text));
  std::string_view rest = text.substr(colon + 1);
  std::string_view platform;
  if (*kind == IdentifierKind::kScreenName) {
    const size_t c2 = rest.find(':');
    if (c2 == std::string_view::npos) {
      return InvalidArgument(fmt::format("identifier '{}': a screen name is screen_name:platform:name", text));
    }
    platform = rest.substr(0, c2);
    rest = rest.substr(c2 + 1);
  } else if (*kind == IdentifierKind::kDeviceId && (StartsWith(rest, "imei:") || StartsWith(rest, "device:"))) {
    rest = rest.substr(rest.find(':') + 1);
  }
  SG_ASSIGN_OR_RETURN(std::string value, Normalise(*kind, rest, platform));
  return Identifier{*kind, std::move(value)};
}

Result<std::string> NormaliseEmail(std::string_view raw) {
  std::string s(TrimAscii(raw));
  std::string lower = AsciiLower(s);
  if (StartsWith(lower, "mailto:")) lower = lower.substr(7);
  if (const size_t lt = lower.find('<'); lt != std::string::npos) {
    const size_t gt = lower.find('>', lt);
    if (gt == std::string::npos) return InvalidArgument(fmt::format("email '{}': unclosed <", raw));
    lower = lower.substr(lt + 1, gt - lt - 1);
  }
  // Obfuscated forms people type to dodge filters.
  for (std::string_view at : {"[at]", "(at)", " at "}) ReplaceAll(lower, at, "@");
  for (std::string_view dot : {"[dot]", "(dot)", " dot "}) ReplaceAll(lower, dot, ".");
  std::string e;
  for (char c : lower) {
    if (!IsSpace(c)) e.push_back(c);
  }
  const size_t at = e.find('@');
  if (at == std::string::npos || e.find('@', at + 1) != std::string::npos) {
    return InvalidArgument(fmt::format("email '{}': needs exactly one @", raw));
  }
  std::string local = e.substr(0, at), domain = e.substr(at + 1);
  while (!domain.empty() && domain.back() == '.') domain.pop_back();
  if (const size_t plus = local.find('+'); plus != std::string::npos) local.resize(plus);
  if (local.empty()) return InvalidArgument(fmt::format("email '{}': empty local part", raw));
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.find("..") != std::string::npos) {
    return InvalidArgument(fmt::format("email '{}': domain '{}' is not a domain name", raw, domain));
  }
  for (char c : domain) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80)) {
      return InvalidArgument(fmt::format("email '{}': character '{}' in the domain", raw, c));
    }
  }
  for (char c : local) {
    if (c == '"' || c == ',' || c == ';' || c == '\\' || c == '(' || c == ')' || c == '[' || c == ']' ||
        static_cast<unsigned char>(c) < 0x20) {
      return InvalidArgument(fmt::format("email '{}': character '{}' in the local part", raw, c));
    }
  }
  if (domain == "googlemail.com") domain = "gmail.com";
  if (domain == "gmail.com") {
    local.erase(std::remove(local.begin(), local.end(), '.'), local.end());
    if (local.empty()) return InvalidArgument(fmt::format("email '{}': empty local part", raw));
  }
  return local + "@" + domain;
}

Result<std::string> NormalisePhone(std::string_view raw) {
  std::string s(TrimAscii(raw));
  std::string lower = AsciiLower(s);
  if (StartsWith(lower, "tel:")) s = s.substr(4);
  ReplaceAll(s, "(0)", "");  // "+44 (0)7700 ...": the trunk 0 shown beside the country code
  bool plus = false;
  std::string digits;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (!(IsSpace(c) || c == '-' || c == '.' || c == '/' || c == '(' || c == ')')) {
      return InvalidArgument(fmt::format("phone '{}': unexpected character '{}'", raw, c));
    }
  }
  if (digits.empty()) return InvalidArgument(fmt::format("phone '{}': no digits", raw));
  std::string international;  // country code + national number
  if (plus) {
    international = digits;
  } else if (StartsWith(digits, "00")) {
    international = digits.substr(2);
  } else if (digits[0] == '0') {
    international = "44" + digits.substr(1);
  } else if (StartsWith(digits, "44") && (digits.size() == 11 || digits.size() == 12)) {
    international = digits;
  } else if (digits[0] == '7' && digits.size() == 10) {
    international = "44" + digits;  // a UK mobile without its trunk 0
  } else {
    return InvalidArgument(fmt::format("phone '{}': neither international (+ or 00) nor a UK number", raw));
  }
  if (international.empty() || international[0] == '0') {
    return InvalidArgument(fmt::format("phone '{}': a country code cannot start with 0", raw));
  }
  if (StartsWith(international, "44")) {
    std::string national = international.substr(2);
    // "+44 07700...": one trunk 0 beside the country code is dropped; two
    // are not a UK number (and dropping only one left a value that
    // normalised differently again: found by the fuzzer).
    if (StartsWith(national, "00")) {
      return InvalidArgument(fmt::format("phone '{}': a UK number cannot start 00 after 44", raw));
    }
    if (!national.empty() && national[0] == '0') national = national.substr(1);
    if (national.size() < 9 || national.size() > 10) {
      return InvalidArgument(
          fmt::format("phone '{}': a UK number has 9 or 10 digits after 44, not {}", raw, national.size()));
    }
    return "+44" + national;
  }
  if (international.size() < 8) return InvalidArgument(fmt::format("phone '{}': too short", raw));
  if (international.size() > 15) return InvalidArgument(fmt::format("phone '{}': more than 15 digits", raw));
  return "+" + international;
}

std::string NormalisePlatform(std::string_view platform) {
  std::string p = AsciiLower(TrimAscii(platform));
  if (p.empty()) return "unknown";
  for (const auto& [alias, name] : kPlatformAliases) {
    if (p == alias) return std::string(name);
  }
  // ':' separates platform and name in the identifier's text.
  std::replace(p.begin(), p.end(), ':', '_');
  return p;
}

std::vector<std::string> KnownPlatforms() {
  std::vector<std::string> out;
  for (const Platform& p : kPlatforms) out.emplace_back(p.name);
  out.emplace_back("unknown");
  return out;
}

Result<std::string> NormaliseScreenName(std::string_view platform, std::string_view raw) {
  const std::string p = NormalisePlatform(platform);
  // Repeated until nothing changes, so that a normalised name is a fixed
  // point ("@ @name", "u/u/name").
  std::string_view name = TrimAscii(raw);
  for (bool changed = true; changed;) {
    const size_t before = name.size();
    while (!name.empty() && name.front() == '@') name.remove_prefix(1);
    // Case-insensitive like the names themselves: "U/name" is "u/name"
    // (the fuzzer found "U/" surviving as "u/", which then normalised to empty).
    const std::string head = AsciiLower(name.substr(0, 3));
    if (p == "reddit" && (StartsWith(head, "u/") || StartsWith(head, "/u/"))) name.remove_prefix(name.find('/', 1) + 1);
    name = TrimAscii(name);
    changed = name.size() != before;
  }
  if (name.empty()) return InvalidArgument(fmt::format("screen name '{}': empty", raw));
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return InvalidArgument(fmt::format("screen name '{}': control character", raw));
    }
  }
  bool case_sensitive = false;
  for (const Platform& known : kPlatforms) {
    if (known.name == p) case_sensitive = known.case_sensitive;
  }
  if (p == "discord" && EndsWithDiscordTag(name)) case_sensitive = true;
  return p + ":" + (case_sensitive ? std::string(name) : AsciiLower(name));
}

Result<std::string> Normalise(IdentifierKind kind, std::string_view raw, std::string_view platform) {
  switch (kind) {
    case IdentifierKind::kEmail: return NormaliseEmail(raw);
    case IdentifierKind::kPhone: return NormalisePhone(raw);
    case IdentifierKind::kScreenName: return NormaliseScreenName(platform, raw);
    case IdentifierKind::kProfileUrl: return NormaliseProfileUrl(raw);
    case IdentifierKind::kDeviceId: return NormaliseDeviceId(raw);
    case IdentifierKind::kIp: return NormaliseIp(raw);
    case IdentifierKind::kDisplayName: return NormaliseDisplayName(raw);
  }
  return Internal("unknown identifier kind");
}

}  // namespace sg::linking
