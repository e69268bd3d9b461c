// Project VIC VICS JSON, streamed: Boost.JSON's SAX parser (basic_parser) is
// fed one line at a time, so memory stays bounded on multi-GB exports and
// every event knows the line it came from for "FILE:LINE: reason" errors.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <cctype>
#include <vector>

#include "core/text.h"
#include "matching/list_reader.h"

namespace sg::matching {
namespace {

namespace json = boost::json;

struct Field {
  std::string key;
  json::value value;
  int64_t line;
};

enum class Role { kTop, kValue, kItem, kMediaArray, kMedia, kSkip };

struct Frame {
  Role role;
  bool is_object;
  std::string key;           // the current key, in objects
  std::vector<Field> fields;  // scalars, for items and media
  int64_t start_line = 0;
  std::string path;           // "value[3]" or "value[3].Media[1]"
  size_t next_index = 0;      // in arrays: index of the next element
  bool has_media = false;     // items: held a Media[] array (a Case)
};

// Converts one Media object's fields to an entry.
Status ToEntry(const Frame& f, ListEntry* e, int64_t* error_line) {
  json::object metadata;
  for (const Field& field : f.fields) {
    const std::string name = AsciiLower(field.key);
    const json::value& v = field.value;
    auto where = [&](std::string_view what) {
      *error_line = field.line;
      return InvalidArgument(fmt::format("{}.{}: {}", f.path, field.key, what));
    };
    if (name == "md5" || name == "sha1" || name == "sha256" || name == "pdq") {
      if (v.is_null() || (v.is_string() && v.as_string().empty())) continue;
      if (!v.is_string()) return where("must be a string of hex digits");
      auto hex = NormalizeHashHex(name, std::string_view(v.as_string()));
      if (!hex.ok()) return where(hex.status().message());
      (name == "md5" ? e->md5 : name == "sha1" ? e->sha1 : name == "sha256" ? e->sha256 : e->pdq) = *hex;
    } else if (name == "category") {
      if (v.is_int64()) e->category = std::to_string(v.as_int64());
      else if (v.is_uint64()) e->category = std::to_string(v.as_uint64());
      else if (v.is_string()) { if (!v.as_string().empty()) e->category = std::string(v.as_string()); }
      else if (!v.is_null()) return where("must be a number or a string");
    } else if (name == "series") {
      if (v.is_string()) { if (!v.as_string().empty()) e->series = std::string(v.as_string()); }
      else if (v.is_int64()) e->series = std::to_string(v.as_int64());
      else if (v.is_uint64()) e->series = std::to_string(v.as_uint64());
      else if (!v.is_null()) return where("must be a string");
    } else if (name == "label") {
      if (v.is_string()) { if (!v.as_string().empty()) e->label = std::string(v.as_string()); }
      else if (!v.is_null()) return where("must be a string");
    } else if (name == "victimidentified") {
      if (v.is_bool()) e->victim_identified = v.as_bool();
      else if (v.is_int64() && (v.as_int64() == 0 || v.as_int64() == 1)) e->victim_identified = v.as_int64() == 1;
      else if (v.is_string() && (AsciiLower(v.as_string()) == "true" || AsciiLower(v.as_string()) == "false"))
        e->victim_identified = AsciiLower(v.as_string()) == "true";
      else if (!v.is_null()) return where("must be true or false");
    } else {
      metadata[field.key] = v;
    }
  }
  if (!e->has_hash()) {
    *error_line = f.start_line;
    return InvalidArgument(fmt::format("{}: a Media entry without MD5, SHA1, SHA256 or PDQ", f.path));
  }
  if (!metadata.empty()) e->metadata = json::serialize(metadata);
  return Status::Ok();
}

class VicsHandler {
 public:
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = 1 << 20;
  static constexpr std::size_t max_key_size = 1 << 16;

  VicsHandler(const EntrySink* sink) : sink_(sink) {}

  int64_t line = 0;
  Status failure;  // set when a handler callback stops the parse
  int64_t failure_line = 0;  // where `failure` happened, if not `line`
  bool saw_value = false;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code& ec) { return Open(true, ec); }
  bool on_array_begin(json::error_code& ec) { return Open(false, ec); }
  bool on_object_end(std::size_t, json::error_code& ec) { return Close(ec); }
  bool on_array_end(std::size_t, json::error_code& ec) { return Close(ec); }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    stack_.back().key = std::move(part_);
    part_.clear();
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    part_.append(s.data(), s.size());
    json::value v;
    v.emplace_string() = part_;
    part_.clear();
    return Scalar(std::move(v), ec);
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, json::error_code& ec) { return Scalar(json::value(i), ec); }
  bool on_uint64(uint64_t u, json::string_view, json::error_code& ec) { return Scalar(json::value(u), ec); }
  bool on_double(double d, json::string_view, json::error_code& ec) { return Scalar(json::value(d), ec); }
  bool on_bool(bool b, json::error_code& ec) { return Scalar(json::value(b), ec); }
  bool on_null(json::error_code& ec) { return Scalar(json::value(nullptr), ec); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  bool Fail(Status s, json::error_code& ec) {
    failure = std::move(s);
    ec = json::make_error_code(json::error::exception);
    return false;
  }

  std::string ElementPath(Frame& parent) {
    if (parent.is_object) return parent.path.empty() ? parent.key : parent.path + "." + parent.key;
    return fmt::format("{}[{}]", parent.path, parent.next_index++);
  }

  bool Open(bool is_object, json::error_code& ec) {
    Frame f{Role::kSkip, is_object, {}, {}, line, {}, 0, false};
    if (stack_.empty()) {
      if (!is_object) return Fail(InvalidArgument("not a VICS export: expected a JSON object at the top"), ec);
      f.role = Role::kTop;
    } else {
      Frame& parent = stack_.back();
      f.path = ElementPath(parent);
      if (parent.role == Role::kTop && parent.key == "value") {
        if (is_object) return Fail(InvalidArgument("'value' must be an array of Media (or Case) objects"), ec);
        f.role = Role::kValue;
        saw_value = true;
      } else if (parent.role == Role::kValue) {
        if (!is_object) return Fail(InvalidArgument(fmt::format("{}: expected an object", f.path)), ec);
        f.role = Role::kItem;
      } else if (parent.role == Role::kItem && AsciiLower(parent.key) == "media" && !is_object) {
        f.role = Role::kMediaArray;
        parent.has_media = true;
      } else if (parent.role == Role::kMediaArray) {
        if (!is_object) return Fail(InvalidArgument(fmt::format("{}: expected an object", f.path)), ec);
        f.role = Role::kMedia;
      }
    }
    stack_.push_back(std::move(f));
    return true;
  }

  bool Close(json::error_code& ec) {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    bool emit = f.role == Role::kMedia || (f.role == Role::kItem && !f.has_media);
    if (emit) {
      ListEntry e;
      Status s = ToEntry(f, &e, &failure_line);
      if (s.ok()) {
        s = (*sink_)(std::move(e), f.start_line);
        failure_line = f.start_line;
      }
      if (!s.ok()) return Fail(std::move(s), ec);
    }
    return true;
  }

  bool Scalar(json::value v, json::error_code& ec) {
    if (stack_.empty()) return Fail(InvalidArgument("not a VICS export: expected a JSON object at the top"), ec);
    Frame& f = stack_.back();
    if (f.role == Role::kItem || f.role == Role::kMedia) {
      f.fields.push_back({f.key, std::move(v), line});
    } else if (f.role == Role::kTop && f.key == "value") {
      return Fail(InvalidArgument("'value' must be an array of Media (or Case) objects"), ec);
    } else if (!f.is_object) {
      ++f.next_index;
      if (f.role == Role::kValue || f.role == Role::kMediaArray) {
        return Fail(InvalidArgument(fmt::format("{}[{}]: expected an object", f.path, f.next_index - 1)), ec);
      }
    }
    return true;
  }

  const EntrySink* sink_;
  std::vector<Frame> stack_;
  std::string part_;
};

}  // namespace

Status ReadVics(LineSource& source, const EntrySink& sink) {
  json::parse_options options;
  options.max_depth = 64;
  json::basic_parser<VicsHandler> parser(options, &sink);
  auto failed = [&](const json::error_code& ec) {
    const VicsHandler& h = parser.handler();
    if (!h.failure.ok()) return source.Locate(h.failure_line ? h.failure_line : source.line_number(), h.failure);
    return source.ErrorAt(source.line_number(), fmt::format("invalid JSON: {}", ec.message()));
  };
  std::string line;
  bool any = false;
  while (source.Next(&line)) {
    any = true;
    parser.handler().line = source.line_number();
    line.push_back('\n');
    json::error_code ec;
    parser.write_some(true, line.data(), line.size(), ec);
    if (ec) return failed(ec);
  }
  SG_RETURN_IF_ERROR(source.error());
  if (!any) return source.ErrorAt(1, "empty file: expected a VICS JSON export");
  json::error_code ec;
  parser.write_some(false, nullptr, 0, ec);
  if (ec) return failed(ec);
  if (!parser.handler().saw_value) {
    return source.ErrorAt(1, "not a VICS export: no top-level 'value' array");
  }
  return Status::Ok();
}

}  // namespace sg::matching
