#include "core/time.h"

#include <ctime>
#include <limits>

#include <fmt/format.h>

namespace sg {

std::string FormatUtc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  // Calendar arithmetic, not gmtime_r: glibc's takes a process-wide lock,
  // and intake formats a time for every message and audit entry.
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> time{ms - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), time.subseconds().count());
}

std::string NowUtc() { return FormatUtc(std::chrono::system_clock::now()); }

namespace {

// Reads exactly `n` ASCII digits at `*pos`; false if any is not a digit.
bool Digits(std::string_view s, size_t* pos, int n, int* out) {
  if (s.size() < *pos + n) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Char(std::string_view s, size_t* pos, char a, char b = '\0') {
  if (*pos >= s.size() || (s[*pos] != a && (b == '\0' || s[*pos] != b))) return false;
  ++*pos;
  return true;
}

std::string Quote(std::string_view text) {
  // Short and printable: this ends up in error messages and JSON replies.
  std::string out;
  for (char c : text.substr(0, 40)) out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  if (text.size() > 40) out += "...";
  return fmt::format("'{}'", out);
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  using namespace std::chrono;
  auto bad = [&](std::string_view why) -> Status {
    return InvalidArgument(fmt::format("{} is not an RFC 3339 time: {}", Quote(text), why));
  };
  constexpr std::string_view kShape = "expected YYYY-MM-DDTHH:MM:SS[.fraction] and Z or +HH:MM";
  size_t p = 0;
  int year, month, day, hour, minute, second;
  if (!Digits(text, &p, 4, &year) || !Char(text, &p, '-') || !Digits(text, &p, 2, &month) ||
      !Char(text, &p, '-') || !Digits(text, &p, 2, &day) || !Char(text, &p, 'T', 't') ||
      !Digits(text, &p, 2, &hour) || !Char(text, &p, ':') || !Digits(text, &p, 2, &minute) ||
      !Char(text, &p, ':') || !Digits(text, &p, 2, &second)) {
    return bad(kShape);
  }
  int64_t nanos = 0;
  if (Char(text, &p, '.')) {
    size_t start = p;
    int64_t scale = 100'000'000;
    while (p < text.size() && text[p] >= '0' && text[p] <= '9') {
      nanos += (text[p] - '0') * scale;
      scale /= 10;
      ++p;
    }
    if (p == start) return bad("no digits after the decimal point");
  }
  int offset_minutes = 0;
  if (!Char(text, &p, 'Z', 'z')) {
    if (p >= text.size() || (text[p] != '+' && text[p] != '-')) return bad(kShape);
    int sign = text[p++] == '-' ? -1 : 1;
    int oh, om;
    if (!Digits(text, &p, 2, &oh) || !Char(text, &p, ':') || !Digits(text, &p, 2, &om)) {
      return bad("the offset must be Z or +HH:MM / -HH:MM");
    }
    if (oh > 23 || om > 59) return bad("the offset is out of range");
    offset_minutes = sign * (oh * 60 + om);
  }
  if (p != text.size()) return bad("unexpected text after the time");

  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (month < 1 || month > 12) return bad(fmt::format("month {:02} does not exist", month));
  if (!ymd.ok()) return bad(fmt::format("day {:02} does not exist in {:04}-{:02}", day, year, month));
  if (hour > 23) return bad("the hour must be 00 to 23");
  if (minute > 59) return bad("the minute must be 00 to 59");
  if (second == 60) return bad("leap seconds (:60) are not supported");
  if (second > 59) return bad("the second must be 00 to 59");

  // Whole seconds since the epoch, in int64 (years 0000-9999 fit easily),
  // then range-checked against the nanosecond system_clock before converting.
  const int64_t days = sys_days{ymd}.time_since_epoch().count();
  const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - int64_t{offset_minutes} * 60;
  constexpr int64_t kMaxSecs = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;
  if (secs < -kMaxSecs || secs > kMaxSecs) return bad("outside the supported range (years 1678 to 2261)");
  const auto since_epoch = duration_cast<system_clock::duration>(seconds{secs} + nanoseconds{nanos});
  return system_clock::time_point{since_epoch};
}

}  // namespace sg
