// Fuzzes ParseReport, the validator in front of POST /api/v1/reports and
// `safeguard import`. Every input must end in a report or a ParseError with a
// path and a 400/413 status, never a crash or a hang; every accepted report
// must survive a round trip through its canonical JSON unchanged, and that
// canonical text must be a fixed point.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "intake/report_parser.h"

using namespace sg::intake;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseError error;
  sg::Result<Report> report = ParseReport(text, ParseLimits{}, &error);
  if (!report.ok()) {
    if (error.path.empty() || error.message.empty()) std::abort();
    if (error.http_status != 400 && error.http_status != 413) std::abort();
    if (report.status().message() != error.ToString()) std::abort();
    (void)boost::json::serialize(ParseErrorToJson(error));
    return 0;
  }
  const std::string canonical = boost::json::serialize(ReportToJson(*report));
  // The canonical form may be a little longer than the input (".000" added
  // to times), so the body limit does not apply to it.
  ParseLimits relaxed;
  relaxed.max_body_bytes = std::numeric_limits<size_t>::max();
  sg::Result<Report> again = ParseReport(canonical, relaxed);
  if (!again.ok() || !(*again == *report)) std::abort();
  if (boost::json::serialize(ReportToJson(*again)) != canonical) std::abort();
  return 0;
}
