// Fuzzes ParseReport, the validator in front of POST /api/v1/reports and
// `safeguard import`. Every input must end in a report or a ParseError with a
// path and a 400/413 status, never a crash or a hang; every accepted report
// must survive a round trip through its canonical JSON unchanged, and that
// canonical text must be a fixed point. What linking reads of that canonical
// body (the ReportInput at intake, the report_facts row read straight from a
// stored body) must be readable and agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "intake/report_parser.h"
#include "linking/report_facts.h"
#include "linking/report_input.h"

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

  const boost::json::value body = boost::json::parse(canonical);
  const std::string received = "2026-11-30T00:00:00.000Z";
  sg::Result<sg::linking::ReportInput> input = sg::linking::ReportInputFromJson(1, body.as_object(), received);
  sg::Result<sg::linking::ReportFactsRow> direct = sg::linking::FactsFromJson(1, body.as_object(), received);
  if (!input.ok() || !direct.ok()) std::abort();
  const sg::linking::ReportFactsRow parsed = sg::linking::FactsOf(*input);
  if (parsed.time != direct->time || parsed.immediate_danger != direct->immediate_danger ||
      parsed.victim_ages != direct->victim_ages || parsed.group != direct->group) {
    std::abort();
  }
  return 0;
}
