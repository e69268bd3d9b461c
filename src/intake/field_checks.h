// The checks behind report_parser.cc, one per kind of value, kept apart so
// they can be tested directly. Each returns the canonical form or a message
// without the field path (the parser adds it). Internal to sg::intake.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::intake {

// For error messages: 'text', cut at 64 bytes on a character boundary with
// "..." after, control characters shown as '?', so a hostile value cannot
// bloat or garble a reply or a log line.
std::string ShowValue(std::string_view text);

// Appends `key` to a field path: ".key" (or "key" at the start) when the key
// is a plain name ([A-Za-z0-9_-], at most 64 bytes), else ["..."] with the
// key shown as ShowValue does.
void AppendKey(std::string* path, std::string_view key);

// Valid UTF-8 is assumed (Boost.JSON has checked it). Counts characters
// (code points) against `max_chars`; rejects control characters: C0 and DEL
// and C1, except that `multiline` text may hold \n, \r and \t.
std::optional<std::string> CheckText(std::string_view text, bool multiline, size_t max_chars);

// kind: "md5" (32 hex digits), "sha1" (40), "sha256" (64), "pdq" (64).
// Returns the lowercase hex; the error is "not a PDQ hash (64 hex digits)".
Result<std::string> CanonicalHash(std::string_view kind, std::string_view hex);

// An IPv4 dotted quad or an IPv6 address (inet_pton; no zone ids, no
// leading zeros in IPv4 octets); returns inet_ntop's text ("2001:db8::1").
Result<std::string> CanonicalIp(std::string_view text);

// A light check only: one '@' with text on both sides, no whitespace. The
// address is kept as given (linking normalises).
Status CheckEmail(std::string_view text);

}  // namespace sg::intake
