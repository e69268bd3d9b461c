// Wall-clock time as text: RFC 3339 in UTC with milliseconds
// ("2026-11-29T15:49:30.123Z"), the one form stored and printed everywhere,
// so that text order is time order.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg {

std::string FormatUtc(std::chrono::system_clock::time_point t);
std::string NowUtc();

// Parses an RFC 3339 date-time, strictly:
//   YYYY-MM-DDTHH:MM:SS[.F...](Z|+HH:MM|-HH:MM)
// "T" and "Z" may be lower case (RFC 3339 5.6); no space separator, no
// missing seconds, no offset without a colon. The date must exist (no
// 2026-02-30), the offset must be within +-23:59, and the offset is applied,
// so the result is the UTC instant. Fractional seconds: any number of
// digits, kept to the nanosecond (further digits are truncated). A leap
// second (:60) is rejected: system_clock cannot hold it. "-00:00" (offset
// unknown, RFC 3339 4.3) is read as UTC. Instants outside what
// system_clock holds (about 1678 to 2261) are rejected.
// The error message quotes the text (truncated) and says what was wrong.
Result<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

}  // namespace sg
