// ParseReport: JSON text -> a validated, canonical Report; ReportToJson: the
// way back. The one validator for every way a report comes in (the HTTP
// intake, `safeguard import FILE.ndjson` line by line), so the rules are
// written once. The rules themselves are listed in src/intake/README.md.
//
// Deny by default: unknown fields (at any depth), duplicate fields, wrong
// types, unknown enum values, malformed hashes, addresses or times, and
// anything over a limit are errors; the first one found is reported and no
// partial report is returned. Client input can only ever produce a
// ParseError (400 or 413), never an exception or a crash (fuzzed:
// fuzz/report_parser_fuzzer.cc).
//
// Thread safety: pure functions; call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "intake/report.h"

namespace sg::intake {

struct ParseLimits {
  size_t max_body_bytes = 1 << 20;     // over this: 413, path "(body)"
  size_t max_depth = 32;               // JSON nesting; the schema needs 5
  size_t max_files = 1000;             // the others: 400 with the array's path
  size_t max_people = 100;             // per array: reported_people, victims
  size_t max_chat_messages = 10000;
  size_t max_identifiers = 100;        // per identifier array, ip_events too
  size_t max_long_text_chars = 20000;  // summary, additional_info, chat[].text
  size_t max_text_chars = 1000;        // every other string
};

// Where and why a report was refused. `path` names the field as a client
// would write it: "files[2].pdq", "victims[0].ip_events[1].ip", or "(body)"
// for the request as a whole (size, JSON syntax, not an object).
struct ParseError {
  std::string path;
  std::string message;   // without the path
  int http_status = 400; // 400 (bad input) or 413 (body too large)

  // "path: message", as in the Status that ParseReport returns.
  std::string ToString() const { return path + ": " + message; }
};

// Parses and validates one report. On failure the Status message is
// "path: message" (kResourceExhausted for 413, else kInvalidArgument), and
// `error`, if given, receives the parts so a server can answer without
// re-parsing the message.
Result<Report> ParseReport(std::string_view json, const ParseLimits& limits = {},
                           ParseError* error = nullptr);

// The canonical JSON form: fields in the order of report.h, absent optional
// fields and empty arrays left out, hashes lowercase, times
// "YYYY-MM-DDTHH:MM:SS.mmmZ", addresses as inet_ntop writes them. For any
// report ParseReport returned, ParseReport(serialize(ReportToJson(r))) == r.
boost::json::object ReportToJson(const Report& report);

// {"error": {"path": ..., "message": ..., "status": 400}}: the body of a
// 400/413 reply, for the one place in the server that maps errors.
boost::json::object ParseErrorToJson(const ParseError& error);

}  // namespace sg::intake
