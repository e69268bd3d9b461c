#include "intake/report_parser.h"

#include <initializer_list>
#include <optional>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.h"
#include "intake/field_checks.h"
#include "intake/json_syntax.h"

namespace sg::intake {
namespace json = boost::json;
namespace {

// A field's place in the report, as a chain of nodes on the C++ stack: no
// string is built unless an error needs one.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // when !is_index
  size_t index = 0;      // when is_index
  bool is_index = false;

  Path Key(std::string_view k) const { return Path{this, k, 0, false}; }
  Path Index(size_t i) const { return Path{this, {}, i, true}; }

  std::string ToString() const {
    std::string out;
    Append(&out);
    return out.empty() ? "(body)" : out;
  }

 private:
  void Append(std::string* out) const {
    if (parent == nullptr) return;  // the root: the body itself
    parent->Append(out);
    if (is_index) {
      *out += fmt::format("[{}]", index);
    } else {
      AppendKey(out, key);
    }
  }
};

std::string_view KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

enum class Text { kLine, kLong, kIdentifier };

using Keys = std::initializer_list<std::string_view>;

// Walks the DOM of one report. Every method returns false after recording
// the first error; the caller returns false straight away, so the first
// error (in schema order) is the one reported.
class Walker {
 public:
  explicit Walker(const ParseLimits& limits) : limits_(limits) {}

  std::optional<ParseError> error;

  bool Fail(const Path& p, std::string message, int status = 400) {
    error = ParseError{p.ToString(), std::move(message), status};
    return false;
  }

  // `v` must be an object with no keys outside `allowed`.
  const json::object* Object(const json::value& v, const Path& p, Keys allowed) {
    const json::object* o = v.if_object();
    if (o == nullptr) {
      Fail(p, fmt::format("expected an object, got {}", KindName(v)));
      return nullptr;
    }
    for (const auto& field : *o) {
      bool known = false;
      for (std::string_view k : allowed) known = known || k == std::string_view(field.key());
      if (!known) {
        Fail(p.Key(field.key()), "unknown field");
        return nullptr;
      }
    }
    return o;
  }

  // The field's value, or nullptr when absent or null (null means absent).
  static const json::value* Get(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }

  const json::array* Array(const json::value& v, const Path& p, size_t max_items) {
    const json::array* a = v.if_array();
    if (a == nullptr) {
      Fail(p, fmt::format("expected an array, got {}", KindName(v)));
      return nullptr;
    }
    if (a->size() > max_items) {
      Fail(p, fmt::format("{} items; at most {} allowed", a->size(), max_items));
      return nullptr;
    }
    return a;
  }

  bool String(const json::value& v, const Path& p, Text kind, std::string* out) {
    const json::string* s = v.if_string();
    if (s == nullptr) return Fail(p, fmt::format("expected a string, got {}", KindName(v)));
    std::string_view text(s->data(), s->size());
    if (kind == Text::kIdentifier && text.empty()) return Fail(p, "empty string");
    bool multiline = kind == Text::kLong;
    auto problem = CheckText(text, multiline, multiline ? limits_.max_long_text_chars : limits_.max_text_chars);
    if (problem) return Fail(p, std::move(*problem));
    out->assign(text);
    return true;
  }

  bool OptString(const json::object& o, const Path& p, std::string_view key, Text kind,
                 std::optional<std::string>* out) {
    const json::value* v = Get(o, key);
    if (v == nullptr) return true;
    return String(*v, p.Key(key), kind, &out->emplace());
  }

  bool OptBool(const json::object& o, const Path& p, std::string_view key, std::optional<bool>* out) {
    const json::value* v = Get(o, key);
    if (v == nullptr) return true;
    if (!v->is_bool()) return Fail(p.Key(key), fmt::format("expected true or false, got {}", KindName(*v)));
    *out = v->get_bool();
    return true;
  }

  bool OptInt(const json::object& o, const Path& p, std::string_view key, int64_t lo, int64_t hi,
              std::optional<int64_t>* out) {
    const json::value* v = Get(o, key);
    if (v == nullptr) return true;
    const Path here = p.Key(key);
    if (v->is_uint64()) return Fail(here, fmt::format("{} is outside {}..{}", v->get_uint64(), lo, hi));
    if (!v->is_int64()) {
      return Fail(here, fmt::format("expected a whole number, got {}", v->is_double() ? "a fraction or exponent"
                                                                                      : KindName(*v)));
    }
    int64_t n = v->get_int64();
    if (n < lo || n > hi) return Fail(here, fmt::format("{} is outside {}..{}", n, lo, hi));
    *out = n;
    return true;
  }

  bool OptTime(const json::object& o, const Path& p, std::string_view key, std::optional<Time>* out) {
    std::optional<std::string> text;
    if (!OptString(o, p, key, Text::kLine, &text)) return false;
    if (!text) return true;
    auto t = ParseRfc3339(*text);
    if (!t.ok()) return Fail(p.Key(key), t.status().message());
    *out = std::chrono::floor<std::chrono::milliseconds>(*t);
    return true;
  }

  bool OptHash(const json::object& o, const Path& p, std::string_view key, std::optional<std::string>* out) {
    std::optional<std::string> text;
    if (!OptString(o, p, key, Text::kLine, &text)) return false;
    if (!text) return true;
    auto hex = CanonicalHash(key, *text);
    if (!hex.ok()) return Fail(p.Key(key), hex.status().message());
    *out = std::move(*hex);
    return true;
  }

  // An enum field: `parse` maps a name to a value; `names` lists them all.
  template <typename E, typename FromName>
  bool Enum(const json::value& v, const Path& p, FromName parse, std::string_view names, E* out) {
    std::string text;
    if (!String(v, p, Text::kLine, &text)) return false;
    std::optional<E> e = parse(text);
    if (!e) return Fail(p, fmt::format("{} is not one of {}", ShowValue(text), names));
    *out = *e;
    return true;
  }

  bool Strings(const json::object& o, const Path& p, std::string_view key, std::vector<std::string>* out,
               bool emails = false) {
    const json::value* v = Get(o, key);
    if (v == nullptr) return true;
    const Path here = p.Key(key);
    const json::array* a = Array(*v, here, limits_.max_identifiers);
    if (a == nullptr) return false;
    out->resize(a->size());
    for (size_t i = 0; i < a->size(); ++i) {
      if (!String((*a)[i], here.Index(i), Text::kIdentifier, &(*out)[i])) return false;
      if (emails) {
        Status s = CheckEmail((*out)[i]);
        if (!s.ok()) return Fail(here.Index(i), s.message());
      }
    }
    return true;
  }

  // Calls read(element, path, &item) for each element of the array field.
  template <typename T, typename Read>
  bool Items(const json::object& o, const Path& p, std::string_view key, size_t max_items, std::vector<T>* out,
             Read read) {
    const json::value* v = Get(o, key);
    if (v == nullptr) return true;
    const Path here = p.Key(key);
    const json::array* a = Array(*v, here, max_items);
    if (a == nullptr) return false;
    out->resize(a->size());
    for (size_t i = 0; i < a->size(); ++i) {
      if (!(this->*read)((*a)[i], here.Index(i), &(*out)[i])) return false;
    }
    return true;
  }

  bool ReadIpEvent(const json::value& v, const Path& p, IpEvent* e) {
    const json::object* o = Object(v, p, {"ip", "port", "time", "event"});
    if (o == nullptr) return false;
    const json::value* ip = Get(*o, "ip");
    if (ip == nullptr) return Fail(p.Key("ip"), "required field is missing");
    std::string text;
    if (!String(*ip, p.Key("ip"), Text::kLine, &text)) return false;
    auto canonical = CanonicalIp(text);
    if (!canonical.ok()) return Fail(p.Key("ip"), canonical.status().message());
    e->ip = std::move(*canonical);
    std::optional<int64_t> port;
    if (!OptInt(*o, p, "port", 0, 65535, &port)) return false;
    if (port) e->port = static_cast<uint16_t>(*port);
    return OptTime(*o, p, "time", &e->time) && OptString(*o, p, "event", Text::kLine, &e->event);
  }

  bool ReadLocation(const json::value& v, const Path& p, Location* l) {
    const json::object* o = Object(v, p, {"city", "region", "country"});
    return o != nullptr && OptString(*o, p, "city", Text::kLine, &l->city) &&
           OptString(*o, p, "region", Text::kLine, &l->region) &&
           OptString(*o, p, "country", Text::kLine, &l->country);
  }

  bool ReadPerson(const json::value& v, const Path& p, Person* person) {
    const json::object* o = Object(v, p,
                                   {"screen_names", "display_names", "emails", "phones", "profile_urls",
                                    "device_ids", "ip_events", "approximate_age", "estimated_location"});
    if (o == nullptr) return false;
    if (!Strings(*o, p, "screen_names", &person->screen_names) ||
        !Strings(*o, p, "display_names", &person->display_names) ||
        !Strings(*o, p, "emails", &person->emails, /*emails=*/true) || !Strings(*o, p, "phones", &person->phones) ||
        !Strings(*o, p, "profile_urls", &person->profile_urls) ||
        !Strings(*o, p, "device_ids", &person->device_ids) ||
        !Items(*o, p, "ip_events", limits_.max_identifiers, &person->ip_events, &Walker::ReadIpEvent)) {
      return false;
    }
    std::optional<int64_t> age;
    if (!OptInt(*o, p, "approximate_age", 0, 120, &age)) return false;
    if (age) person->approximate_age = static_cast<int>(*age);
    if (const json::value* loc = Get(*o, "estimated_location")) {
      return ReadLocation(*loc, p.Key("estimated_location"), &person->estimated_location.emplace());
    }
    return true;
  }

  bool ReadFile(const json::value& v, const Path& p, File* f) {
    const json::object* o = Object(
        v, p, {"file_name", "md5", "sha1", "sha256", "pdq", "industry_classification", "viewed_by_platform"});
    if (o == nullptr) return false;
    if (!OptString(*o, p, "file_name", Text::kLine, &f->file_name) || !OptHash(*o, p, "md5", &f->md5) ||
        !OptHash(*o, p, "sha1", &f->sha1) || !OptHash(*o, p, "sha256", &f->sha256) ||
        !OptHash(*o, p, "pdq", &f->pdq)) {
      return false;
    }
    if (!f->md5 && !f->sha1 && !f->sha256 && !f->pdq) return Fail(p, "needs at least one of md5, sha1, sha256, pdq");
    if (const json::value* c = Get(*o, "industry_classification")) {
      IndustryClassification value = IndustryClassification::kA1;
      if (!Enum(*c, p.Key("industry_classification"), IndustryClassificationFromName, "A1, A2, B1, B2", &value)) {
        return false;
      }
      f->industry_classification = value;
    }
    return OptBool(*o, p, "viewed_by_platform", &f->viewed_by_platform);
  }

  bool ReadChatMessage(const json::value& v, const Path& p, ChatMessage* m) {
    const json::object* o = Object(v, p, {"time", "author", "text"});
    if (o == nullptr) return false;
    if (!OptTime(*o, p, "time", &m->time) || !OptString(*o, p, "author", Text::kLine, &m->author)) return false;
    const json::value* text = Get(*o, "text");
    if (text == nullptr) return Fail(p.Key("text"), "required field is missing");
    return String(*text, p.Key("text"), Text::kLong, &m->text);
  }

  bool ReadReport(const json::value& v, Report* r) {
    const Path root;
    const json::object* o =
        Object(v, root,
               {"source", "incident_type", "incident_time", "platform", "immediate_danger", "summary",
                "reported_people", "victims", "files", "chat", "additional_info"});
    if (o == nullptr) return false;
    const json::value* source = Get(*o, "source");
    if (source == nullptr) return Fail(root.Key("source"), "required field is missing");
    if (!Enum(*source, root.Key("source"), SourceFromName, "industry, public, police", &r->source)) return false;
    const json::value* type = Get(*o, "incident_type");
    if (type == nullptr) return Fail(root.Key("incident_type"), "required field is missing");
    if (!Enum(*type, root.Key("incident_type"), IncidentTypeFromName,
              "online_enticement, csam, sextortion, child_sex_trafficking, unsolicited_obscene_material, other",
              &r->incident_type)) {
      return false;
    }
    return OptTime(*o, root, "incident_time", &r->incident_time) &&
           OptString(*o, root, "platform", Text::kLine, &r->platform) &&
           OptBool(*o, root, "immediate_danger", &r->immediate_danger) &&
           OptString(*o, root, "summary", Text::kLong, &r->summary) &&
           Items(*o, root, "reported_people", limits_.max_people, &r->reported_people, &Walker::ReadPerson) &&
           Items(*o, root, "victims", limits_.max_people, &r->victims, &Walker::ReadPerson) &&
           Items(*o, root, "files", limits_.max_files, &r->files, &Walker::ReadFile) &&
           Items(*o, root, "chat", limits_.max_chat_messages, &r->chat, &Walker::ReadChatMessage) &&
           OptString(*o, root, "additional_info", Text::kLong, &r->additional_info);
  }

 private:
  const ParseLimits& limits_;
};

Status ToStatus(const ParseError& e) {
  return Status(e.http_status == 413 ? StatusCode::kResourceExhausted : StatusCode::kInvalidArgument, e.ToString());
}

// ReportToJson helpers: absent optionals and empty arrays are left out.
template <typename T>
void Put(json::object& o, std::string_view key, const std::optional<T>& v) {
  if (v) o[key] = *v;
}

void PutTime(json::object& o, std::string_view key, const std::optional<Time>& t) {
  if (t) o[key] = FormatUtc(*t);
}

void PutStrings(json::object& o, std::string_view key, const std::vector<std::string>& v) {
  if (v.empty()) return;
  json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  o[key] = std::move(a);
}

template <typename T, typename ToJson>
void PutItems(json::object& o, std::string_view key, const std::vector<T>& items, ToJson to_json) {
  if (items.empty()) return;
  json::array a;
  for (const T& item : items) a.emplace_back(to_json(item));
  o[key] = std::move(a);
}

json::object IpEventToJson(const IpEvent& e) {
  json::object o;
  o["ip"] = e.ip;
  Put(o, "port", e.port);
  PutTime(o, "time", e.time);
  Put(o, "event", e.event);
  return o;
}

json::object PersonToJson(const Person& p) {
  json::object o;
  PutStrings(o, "screen_names", p.screen_names);
  PutStrings(o, "display_names", p.display_names);
  PutStrings(o, "emails", p.emails);
  PutStrings(o, "phones", p.phones);
  PutStrings(o, "profile_urls", p.profile_urls);
  PutStrings(o, "device_ids", p.device_ids);
  PutItems(o, "ip_events", p.ip_events, IpEventToJson);
  Put(o, "approximate_age", p.approximate_age);
  if (p.estimated_location) {
    json::object loc;
    Put(loc, "city", p.estimated_location->city);
    Put(loc, "region", p.estimated_location->region);
    Put(loc, "country", p.estimated_location->country);
    o["estimated_location"] = std::move(loc);
  }
  return o;
}

json::object FileToJson(const File& f) {
  json::object o;
  Put(o, "file_name", f.file_name);
  Put(o, "md5", f.md5);
  Put(o, "sha1", f.sha1);
  Put(o, "sha256", f.sha256);
  Put(o, "pdq", f.pdq);
  if (f.industry_classification) o["industry_classification"] = IndustryClassificationName(*f.industry_classification);
  Put(o, "viewed_by_platform", f.viewed_by_platform);
  return o;
}

json::object ChatMessageToJson(const ChatMessage& m) {
  json::object o;
  PutTime(o, "time", m.time);
  Put(o, "author", m.author);
  o["text"] = m.text;
  return o;
}

}  // namespace

Result<Report> ParseReport(std::string_view text, const ParseLimits& limits, ParseError* error) {
  auto fail = [&](ParseError e) -> Status {
    Status s = ToStatus(e);
    if (error != nullptr) *error = std::move(e);
    return s;
  };
  if (text.size() > limits.max_body_bytes) {
    return fail({"(body)", fmt::format("{} bytes; at most {} allowed", text.size(), limits.max_body_bytes), 413});
  }
  if (auto problem = CheckJsonSyntax(text, limits.max_depth)) {
    return fail({std::move(problem->path), std::move(problem->message), 400});
  }
  // The text is known to be good JSON now; parse it into a DOM whose memory
  // is released all at once.
  json::monotonic_resource memory;
  json::parse_options options;
  options.max_depth = limits.max_depth;
  json::error_code ec;
  json::value root = json::parse(text, ec, &memory, options);
  if (ec) return fail({"(body)", fmt::format("invalid JSON: {}", ec.message()), 400});
  Walker walker(limits);
  Report report;
  if (!walker.ReadReport(root, &report)) return fail(std::move(*walker.error));
  return report;
}

json::object ReportToJson(const Report& r) {
  json::object o;
  o["source"] = SourceName(r.source);
  o["incident_type"] = IncidentTypeName(r.incident_type);
  PutTime(o, "incident_time", r.incident_time);
  Put(o, "platform", r.platform);
  Put(o, "immediate_danger", r.immediate_danger);
  Put(o, "summary", r.summary);
  PutItems(o, "reported_people", r.reported_people, PersonToJson);
  PutItems(o, "victims", r.victims, PersonToJson);
  PutItems(o, "files", r.files, FileToJson);
  PutItems(o, "chat", r.chat, ChatMessageToJson);
  Put(o, "additional_info", r.additional_info);
  return o;
}

json::object ParseErrorToJson(const ParseError& e) {
  json::object inner;
  inner["path"] = e.path;
  inner["message"] = e.message;
  inner["status"] = e.http_status;
  json::object o;
  o["error"] = std::move(inner);
  return o;
}

}  // namespace sg::intake
