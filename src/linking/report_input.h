// ReportInput: what linking needs of one report, read from the report's
// canonical JSON (the body intake stores, intake::ReportToJson), so that a
// report linked at intake and the same report read back by a rebuild give
// the very same input. Linking does not depend on intake (intake depends on
// linking): the JSON is the contract between them.
//
// Identifiers are normalised here (identifiers.h); one that cannot be is
// skipped and named in `skipped` (a lead, not an error: a report is never
// refused for an odd identifier). Within a mention identifiers are
// deduplicated and kept in report order: emails, phones, screen names,
// profile URLs, device ids, then display names and IP addresses (weak).
// Thread safety: plain value types and a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "linking/identifiers.h"

namespace sg::linking {

inline constexpr std::string_view kRoleReported = "reported";
inline constexpr std::string_view kRoleVictim = "victim";

struct IpCapture {
  std::string ip;                    // normalised
  std::optional<int64_t> port;
  std::optional<std::string> time;   // RFC 3339 UTC, as stored
};

// One person of one report.
struct Mention {
  std::string role;  // kRoleReported or kRoleVictim
  int index = 0;     // position in reported_people[] or victims[]
  std::vector<Identifier> identifiers;  // strong first, then weak
  std::vector<IpCapture> ip_captures;
  std::vector<std::string> skipped;     // "emails[1]: email 'x': needs exactly one @"
  std::optional<int> approximate_age;   // a victim's age as the report gives it
};

struct ReportInput {
  int64_t report_id = 0;
  std::string time;  // incident_time if given, else received_at (RFC 3339)
  std::string platform;
  bool immediate_danger = false;
  std::optional<std::string> group;       // GroupKey(platform, additional_info)
  std::vector<Mention> mentions;          // reported people, then victims
  std::vector<std::string> match_hashes;  // list hashes the report's files matched (bundles)
};

// Reads `body` (a report's canonical JSON). kInvalidArgument when a field
// the model defines has the wrong JSON type.
Result<ReportInput> ReportInputFromJson(int64_t report_id, const boost::json::object& body,
                                        const std::string& received_at);

// The group a report names: a line "group: NAME" (any case, spaces
// trimmed) in its additional info, keyed by platform as
// "lower(platform)/lower(NAME)"; nullopt if there is no such line.
std::optional<std::string> GroupKey(const std::optional<std::string>& platform,
                                    const std::optional<std::string>& additional_info);

// The report-level fields of a body (time, platform, immediate_danger,
// group) into `in`; ReportInputFromJson reads them so.
void ReadReportHeader(const boost::json::object& body, const std::string& received_at, ReportInput& in);
// A victim's approximate_age, if the report gives one.
std::optional<int> ApproximateAge(const boost::json::object& victim);

// "mention:REPORT:ROLE:INDEX": how decisions name a mention.
std::string MentionNode(int64_t report_id, std::string_view role, int index);

}  // namespace sg::linking
