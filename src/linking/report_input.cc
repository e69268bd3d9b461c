#include "linking/report_input.h"

#include <algorithm>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/text.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

Status ReadStrings(const json::object& person, std::string_view key, IdentifierKind kind, const std::string& platform,
                   const std::string& where, Mention& m) {
  const json::value* v = person.if_contains(key);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_array()) return InvalidArgument(fmt::format("{}.{}: not an array", where, key));
  const json::array& items = v->as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string()) return InvalidArgument(fmt::format("{}.{}[{}]: not a string", where, key, i));
    const json::string& s = items[i].as_string();
    auto value = Normalise(kind, std::string_view(s.data(), s.size()), platform);
    if (!value.ok()) {
      m.skipped.push_back(fmt::format("{}[{}]: {}", key, i, value.status().message()));
      continue;
    }
    Identifier id{kind, std::move(*value)};
    if (std::find(m.identifiers.begin(), m.identifiers.end(), id) == m.identifiers.end()) {
      m.identifiers.push_back(std::move(id));
    }
  }
  return Status::Ok();
}

Result<Mention> ReadMention(const json::value& v, std::string_view role, int index, const std::string& platform) {
  const std::string where = fmt::format("{}[{}]", role == kRoleReported ? "reported_people" : "victims", index);
  if (!v.is_object()) return InvalidArgument(fmt::format("{}: not an object", where));
  const json::object& o = v.as_object();
  Mention m;
  m.role = std::string(role);
  m.index = index;
  SG_RETURN_IF_ERROR(ReadStrings(o, "emails", IdentifierKind::kEmail, platform, where, m));
  SG_RETURN_IF_ERROR(ReadStrings(o, "phones", IdentifierKind::kPhone, platform, where, m));
  SG_RETURN_IF_ERROR(ReadStrings(o, "screen_names", IdentifierKind::kScreenName, platform, where, m));
  SG_RETURN_IF_ERROR(ReadStrings(o, "profile_urls", IdentifierKind::kProfileUrl, platform, where, m));
  SG_RETURN_IF_ERROR(ReadStrings(o, "device_ids", IdentifierKind::kDeviceId, platform, where, m));
  SG_RETURN_IF_ERROR(ReadStrings(o, "display_names", IdentifierKind::kDisplayName, platform, where, m));
  if (role == kRoleVictim) m.approximate_age = ApproximateAge(o);
  if (const json::value* events = o.if_contains("ip_events"); events != nullptr && events->is_array()) {
    const json::array& items = events->as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_object()) return InvalidArgument(fmt::format("{}.ip_events[{}]: not an object", where, i));
      const json::object& e = items[i].as_object();
      const json::value* ip = e.if_contains("ip");
      if (ip == nullptr || !ip->is_string()) {
        m.skipped.push_back(fmt::format("ip_events[{}]: no ip", i));
        continue;
      }
      auto value = NormaliseIp(std::string_view(ip->as_string().data(), ip->as_string().size()));
      if (!value.ok()) {
        m.skipped.push_back(fmt::format("ip_events[{}]: {}", i, value.status().message()));
        continue;
      }
      IpCapture c;
      c.ip = *value;
      // intake writes the port from a uint16_t: a uint64 in Boost.JSON; a
      // report read back from text has an int64.
      if (const json::value* port = e.if_contains("port"); port != nullptr) {
        if (port->is_int64()) c.port = port->as_int64();
        if (port->is_uint64() && port->as_uint64() <= 65535) c.port = static_cast<int64_t>(port->as_uint64());
      }
      if (const json::value* t = e.if_contains("time"); t != nullptr && t->is_string()) {
        c.time = std::string(t->as_string().data(), t->as_string().size());
      }
      Identifier id{IdentifierKind::kIp, c.ip};
      if (std::find(m.identifiers.begin(), m.identifiers.end(), id) == m.identifiers.end()) {
        m.identifiers.push_back(std::move(id));
      }
      m.ip_captures.push_back(std::move(c));
    }
  }
  return m;
}

}  // namespace

std::optional<std::string> GroupKey(const std::optional<std::string>& platform,
                                    const std::optional<std::string>& additional_info) {
  if (!additional_info) return std::nullopt;
  std::string_view rest = *additional_info;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = TrimAscii(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.size() > 6 && AsciiLower(line.substr(0, 6)) == "group:") {
      std::string_view name = TrimAscii(line.substr(6));
      if (name.empty()) continue;
      return AsciiLower(TrimAscii(platform.value_or(""))) + "/" + AsciiLower(name);
    }
  }
  return std::nullopt;
}

std::string MentionNode(int64_t report_id, std::string_view role, int index) {
  return fmt::format("mention:{}:{}:{}", report_id, role, index);
}

std::optional<int> ApproximateAge(const json::object& victim) {
  const json::value* age = victim.if_contains("approximate_age");
  if (age == nullptr) return std::nullopt;
  // intake bounds it to 0..120; a body read back from text has an int64
  if (age->is_int64()) return static_cast<int>(std::clamp<int64_t>(age->as_int64(), -1, 1000));
  if (age->is_uint64()) return static_cast<int>(std::min<uint64_t>(age->as_uint64(), 1000));
  if (age->is_double()) return static_cast<int>(std::clamp(age->as_double(), -1.0, 1000.0));
  return std::nullopt;
}

void ReadReportHeader(const json::object& body, const std::string& received_at, ReportInput& in) {
  in.time = received_at;
  if (const json::value* t = body.if_contains("incident_time"); t != nullptr && t->is_string()) {
    in.time = std::string(t->as_string().data(), t->as_string().size());
  }
  if (const json::value* p = body.if_contains("platform"); p != nullptr && p->is_string()) {
    in.platform = std::string(p->as_string().data(), p->as_string().size());
  }
  if (const json::value* d = body.if_contains("immediate_danger"); d != nullptr && d->is_bool()) {
    in.immediate_danger = d->as_bool();
  }
  if (const json::value* a = body.if_contains("additional_info"); a != nullptr && a->is_string()) {
    // No platform keys the group as an empty one would: "/name".
    in.group = GroupKey(in.platform, std::string(a->as_string().data(), a->as_string().size()));
  }
}

Result<ReportInput> ReportInputFromJson(int64_t report_id, const json::object& body, const std::string& received_at) {
  ReportInput in;
  in.report_id = report_id;
  ReadReportHeader(body, received_at, in);
  for (std::string_view role : {kRoleReported, kRoleVictim}) {
    const json::value* people = body.if_contains(role == kRoleReported ? "reported_people" : "victims");
    if (people == nullptr || people->is_null()) continue;
    if (!people->is_array()) return InvalidArgument(fmt::format("report {}: {} is not an array", report_id, role));
    const json::array& items = people->as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      auto m = ReadMention(items[i], role, static_cast<int>(i), in.platform);
      if (!m.ok()) return Status(m.status().code(), fmt::format("report {}: {}", report_id, m.status().message()));
      in.mentions.push_back(std::move(*m));
    }
  }
  return in;
}

}  // namespace sg::linking
