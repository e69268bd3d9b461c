// The report model: what a platform, a member of the public or a police
// force sends to POST /api/v1/reports (and, one per line, to
// `safeguard import FILE.ndjson`), modelled on what platforms send to
// national hotlines. Only hashes and metadata: a report never carries an
// image, only the hashes of files.
//
// Required: `source` and `incident_type`. Everything else is optional:
// std::optional for single values, an empty vector for an absent array (the
// JSON form omits both). Within a file at least one of md5, sha1, sha256,
// pdq is required (a file is only useful here through its hashes); within an
// ip event `ip` is required; within a chat message `text` is required.
//
// Values held here are already validated and canonical (report_parser.h):
// hashes lowercase hex, IP addresses in inet_ntop's text form, times as UTC
// instants kept to the millisecond. Identifiers (names, emails, phones, URLs)
// are kept exactly as given; the linking module normalises them.
// Thread safety: plain value types.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sg::intake {

// Times are kept to the millisecond, the precision of the stored text form
// (core/time.h), so a report survives a round trip through JSON unchanged.
using Time = std::chrono::sys_time<std::chrono::milliseconds>;

enum class Source { kIndustry, kPublic, kPolice };

enum class IncidentType {
  kOnlineEnticement,
  kCsam,
  kSextortion,
  kChildSexTrafficking,
  kUnsolicitedObsceneMaterial,
  kOther,
};

// Industry classification of a file: A prepubescent, B pubescent; 1 is the
// more severe.
enum class IndustryClassification { kA1, kA2, kB1, kB2 };

// The wire names ("industry", "online_enticement", "A1"): a contract with
// the platforms that send reports; never rename them.
std::string_view SourceName(Source s);
std::string_view IncidentTypeName(IncidentType t);
std::string_view IndustryClassificationName(IndustryClassification c);
// Exact, case-sensitive matches of the names above; nullopt otherwise.
std::optional<Source> SourceFromName(std::string_view name);
std::optional<IncidentType> IncidentTypeFromName(std::string_view name);
std::optional<IndustryClassification> IndustryClassificationFromName(std::string_view name);

// One IP capture: the address a platform saw, e.g. at login or upload.
struct IpEvent {
  std::string ip;                    // required; canonical text (inet_ntop)
  std::optional<uint16_t> port;
  std::optional<Time> time;
  std::optional<std::string> event;  // free text: "login", "registration", "upload", ...

  friend bool operator==(const IpEvent&, const IpEvent&) = default;
};

struct Location {
  std::optional<std::string> city, region, country;

  friend bool operator==(const Location&, const Location&) = default;
};

// A reported person or a victim: everything known that identifies them.
struct Person {
  std::vector<std::string> screen_names, display_names, emails, phones, profile_urls, device_ids;
  std::vector<IpEvent> ip_events;
  std::optional<int> approximate_age;  // 0..120
  std::optional<Location> estimated_location;

  friend bool operator==(const Person&, const Person&) = default;
};

// A file the platform saw: its hashes, never its content.
struct File {
  std::optional<std::string> file_name;
  std::optional<std::string> md5, sha1, sha256, pdq;  // lowercase hex; at least one is set
  std::optional<IndustryClassification> industry_classification;
  std::optional<bool> viewed_by_platform;

  friend bool operator==(const File&, const File&) = default;
};

struct ChatMessage {
  std::optional<Time> time;
  std::optional<std::string> author;
  std::string text;  // required; may be empty

  friend bool operator==(const ChatMessage&, const ChatMessage&) = default;
};

struct Report {
  Source source = Source::kPublic;                     // required
  IncidentType incident_type = IncidentType::kOther;  // required
  std::optional<Time> incident_time;
  std::optional<std::string> platform;
  std::optional<bool> immediate_danger;
  std::optional<std::string> summary;
  std::vector<Person> reported_people;
  std::vector<Person> victims;
  std::vector<File> files;
  std::vector<ChatMessage> chat;
  std::optional<std::string> additional_info;

  friend bool operator==(const Report&, const Report&) = default;
};

}  // namespace sg::intake
