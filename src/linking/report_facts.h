// report_facts (schema step 11): what the network analysis needs of each
// report besides its persons (its time, immediate danger, the victims'
// ages, the group it names), one narrow row per report, so `networks` does
// not scan every report's body. Written by linking from the ReportInput:
// at intake (Linker::OnReport) and, for every report read, by a rebuild
// from the bodies (`safeguard link --reparse`). Read by network_source.cc.
// Thread safety: as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "linking/person_writes.h"
#include "linking/report_input.h"
#include "store/database.h"

namespace sg::linking {

struct ReportFactsRow {
  int64_t report_id = 0;
  std::string time;  // incident_time, else received_at (RFC 3339)
  bool immediate_danger = false;
  std::optional<std::string> victim_ages;  // JSON [[victim index, age], ...]
  std::optional<std::string> group;        // GroupKey
};

ReportFactsRow FactsOf(const ReportInput& in);
// The same row straight from a stored body, without the mentions' work
// (for reports stored before step 11). kInvalidArgument: victims is not an
// array of objects.
Result<ReportFactsRow> FactsFromJson(int64_t report_id, const boost::json::object& body,
                                     const std::string& received_at);

// The row of a report stored before step 11, from a query that selects
// kStoredReportColumns first (`FROM reports r`): its time and danger from
// its columns, the victims' ages and group from its stored body. DataLoss
// names the report when the body is not a JSON object of the report
// model's shape.
inline constexpr const char* kStoredReportColumns =
    "r.id, r.received_at, r.body, COALESCE(r.incident_time, r.received_at), r.immediate_danger";
Result<ReportFactsRow> FactsOfStoredRow(const store::Statement& row);

// The report's row, at intake (a row already there is kept).
Status WriteReportFacts(PersonWrites& w, const ReportInput& in);

// Every row of reports <= up_to replaced by `rows` (a rebuild from bodies).
Status RewriteReportFacts(PersonWrites& w, int64_t up_to, const std::vector<ReportFactsRow>& rows);

// Writes the rows of the reports that have none (stored before step 11),
// read from their columns and bodies, `chunk` reports per transaction:
// rows are independent, so an interrupted fill keeps what it committed and
// the next one goes on; at the end it records store_meta 'report_facts' =
// 'complete' (schema step 11 does on an empty store), which makes later
// calls one lookup. Returns
// the rows written. Intake may run meanwhile (its rows win: ON CONFLICT DO
// NOTHING, and they are the same rows).
Result<int64_t> FillMissingReportFacts(store::Connection& conn, size_t chunk = 20000);

}  // namespace sg::linking
