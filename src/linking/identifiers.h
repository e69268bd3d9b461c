// Identifier normalisation: the one place that turns the identifiers a
// report carries, as people typed them ("Alice.B+kik@GoogleMail.com",
// "07700 900 123", "@Alice_B", "https://m.instagram.com/alice_b/?igshid=x"),
// into canonical values, so that two spellings of one identifier compare
// equal. Entity resolution (resolver.h) links on these values only.
//
// An Identifier is {kind, value}; its text form "kind:value" (Text,
// ParseIdentifierText) is a contract: the API's identifier search and the
// `persons` output use it. Kinds and their values:
//   email        "alice.b@gmail.com" -> "aliceb@gmail.com" (see NormaliseEmail)
//   phone        E.164, "+447700900123" (UK by default)
//   screen_name  "platform:name", "instagram:alice_b" ("unknown:" without a platform)
//   profile_url  host and path without scheme, "instagram.com/alice_b"
//   device_id    "imei:490154203237518" or "device:<trimmed lowercase>"
//   ip           inet_ntop form, IPv4-mapped IPv6 as IPv4 ("192.0.2.7")
//   display_name NFKC case-folded, spaces collapsed ("alice b")
// Strong kinds (email, phone, screen_name, profile_url, device_id) link
// people deterministically; weak ones (ip, display_name) only propose.
//
// Every function is pure and thread-safe. A value that cannot be an
// identifier of its kind gives kInvalidArgument naming what was wrong.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sg::linking {

enum class IdentifierKind { kEmail, kPhone, kScreenName, kProfileUrl, kDeviceId, kIp, kDisplayName };

// "email", "phone", "screen_name", "profile_url", "device_id", "ip",
// "display_name": a contract, never rename.
std::string_view KindName(IdentifierKind kind);
std::optional<IdentifierKind> KindFromName(std::string_view name);
// Strong identifiers link deterministically; weak ones give candidates.
bool IsStrong(IdentifierKind kind);

struct Identifier {
  IdentifierKind kind = IdentifierKind::kEmail;
  std::string value;  // normalised

  std::string Text() const;  // "kind:value"
  friend bool operator==(const Identifier&, const Identifier&) = default;
  friend auto operator<=>(const Identifier&, const Identifier&) = default;
};

// "kind:value" -> Identifier; the value is normalised again (so
// "email:Alice@Example.com" is found), with the platform of a screen name
// taken from the value ("screen_name:instagram:@Alice").
Result<Identifier> ParseIdentifierText(std::string_view text);

// Emails: trimmed, spaces removed, "mailto:" and <...> unwrapped, " at " /
// "[at]" / "(at)" and "[dot]" / "(dot)" read as @ and ., lowercased, a
// "+tag" removed from the local part; for gmail.com and googlemail.com the
// dots of the local part are removed and the domain is gmail.com.
Result<std::string> NormaliseEmail(std::string_view raw);

// Phones to E.164. Accepts spaces, dashes, dots, slashes, brackets, a
// "tel:" prefix and an "(0)" trunk marker; "+CC...", "00CC..." are
// international; a leading "0" is a national number of the default country
// (UK: 44); "44..." of UK length and bare UK mobiles ("7700900123") are read
// as UK. E.164 has at most 15 digits; UK national numbers have 9 or 10
// digits after 44; other countries need at least 8 digits in all.
Result<std::string> NormalisePhone(std::string_view raw);

// Platform names: trimmed, lowercased, aliases folded ("X" -> "twitter",
// "fb" -> "facebook", "insta" -> "instagram"); "" -> "unknown".
std::string NormalisePlatform(std::string_view platform);
// The platforms of the case table, and "unknown" (for searching a bare name).
std::vector<std::string> KnownPlatforms();
// Screen names: trimmed, a leading "@" (and Reddit's "u/") removed, then
// lowercased unless the platform's names are case-sensitive (see the table
// in identifiers.cc; unknown platforms are case-insensitive). Returns
// "platform:name".
Result<std::string> NormaliseScreenName(std::string_view platform, std::string_view raw);

// Profile URLs: scheme and fragment dropped, host lowercased, "www.", "m.",
// "mobile." dropped and known aliases folded (x.com -> twitter.com), default
// port dropped, tracking query parameters (utm_*, fbclid, gclid, igshid,
// si, ref, ref_src, s) removed, trailing slash removed; the path is
// lowercased only on sites whose profile paths are case-insensitive.
Result<std::string> NormaliseProfileUrl(std::string_view raw);

// Device ids: an IMEI (15 digits whose Luhn check digit is right; 14 digits
// get their check digit computed; a 16-digit IMEISV gives its IMEI),
// separators allowed, -> "imei:<15 digits>"; 15 digits with a wrong check
// digit are refused; anything else -> "device:<trimmed lowercase>".
Result<std::string> NormaliseDeviceId(std::string_view raw);
// The Luhn check digit of `digits` (all ASCII digits).
int LuhnCheckDigit(std::string_view digits);

// IP addresses: canonical inet_ntop text; IPv4-mapped IPv6 -> IPv4.
Result<std::string> NormaliseIp(std::string_view raw);

// Display names: NFKC case folding, whitespace runs collapsed to one space,
// trimmed. Empty -> kInvalidArgument.
Result<std::string> NormaliseDisplayName(std::string_view raw);

// Normalises `raw` as `kind` (screen names with `platform`).
Result<std::string> Normalise(IdentifierKind kind, std::string_view raw, std::string_view platform = "");

}  // namespace sg::linking
