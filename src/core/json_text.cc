#include "core/json_text.h"

#include <cmath>

#include <fmt/format.h>

namespace sg {
namespace {

void AppendString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t plain = 0;  // start of the run not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default: fmt::format_to(std::back_inserter(*out), "\\u{:04x}", c);
    }
  }
  out->append(s.substr(plain));
  out->push_back('"');
}

}  // namespace

void AppendJsonText(const boost::json::value& value, std::string* out) {
  switch (value.kind()) {
    case boost::json::kind::null: out->append("null"); break;
    case boost::json::kind::bool_: out->append(value.get_bool() ? "true" : "false"); break;
    case boost::json::kind::int64: fmt::format_to(std::back_inserter(*out), "{}", value.get_int64()); break;
    case boost::json::kind::uint64: fmt::format_to(std::back_inserter(*out), "{}", value.get_uint64()); break;
    case boost::json::kind::double_: {
      const double d = value.get_double();
      if (std::isfinite(d)) {
        fmt::format_to(std::back_inserter(*out), "{}", d);  // shortest round-trip form
      } else {
        out->append("null");
      }
      break;
    }
    case boost::json::kind::string: AppendString(value.get_string(), out); break;
    case boost::json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const boost::json::value& v : value.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonText(v, out);
      }
      out->push_back(']');
      break;
    }
    case boost::json::kind::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& kv : value.get_object()) {
        if (!first) out->push_back(',');
        first = false;
        AppendString(kv.key(), out);
        out->push_back(':');
        AppendJsonText(kv.value(), out);
      }
      out->push_back('}');
      break;
    }
  }
}

std::string JsonText(const boost::json::value& value) {
  std::string out;
  AppendJsonText(value, &out);
  return out;
}

}  // namespace sg
