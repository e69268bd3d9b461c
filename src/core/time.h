// Wall-clock time as text: RFC 3339 in UTC with milliseconds
// ("2026-11-29T15:49:30.123Z"), the one form stored and printed everywhere,
// so that text order is time order.
#pragma once

#include <chrono>
#include <string>

namespace sg {

std::string FormatUtc(std::chrono::system_clock::time_point t);
std::string NowUtc();

}  // namespace sg
