#include "intake/json_syntax.h"

#include <unordered_set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <fmt/format.h>

#include "intake/field_checks.h"

namespace sg::intake {
namespace json = boost::json;
namespace {

class DuplicateKeyHandler {
 public:
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);

  std::optional<SyntaxProblem> problem;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    BeginValue();
    stack_.push_back(Frame{true, {}, 0, {}});
    return true;
  }
  bool on_array_begin(json::error_code&) {
    BeginValue();
    stack_.push_back(Frame{false, {}, 0, {}});
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    stack_.pop_back();
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    stack_.pop_back();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    Frame& f = stack_.back();
    f.key = std::move(key_);
    key_.clear();
    if (!f.keys.insert(f.key).second) {
      problem = SyntaxProblem{Path(), "duplicate field"};
      ec = json::make_error_code(json::error::exception);
      return false;
    }
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return Scalar(); }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t, json::string_view, json::error_code&) { return Scalar(); }
  bool on_uint64(uint64_t, json::string_view, json::error_code&) { return Scalar(); }
  bool on_double(double, json::string_view, json::error_code&) { return Scalar(); }
  bool on_bool(bool, json::error_code&) { return Scalar(); }
  bool on_null(json::error_code&) { return Scalar(); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct Frame {
    bool is_object;
    std::string key;  // the current key, in an object
    size_t count;     // elements begun so far, in an array
    std::unordered_set<std::string> keys;
  };

  // Arrays count their elements as they begin, so Path() names the element
  // being read: the last one begun.
  void BeginValue() {
    if (!stack_.empty() && !stack_.back().is_object) ++stack_.back().count;
  }
  bool Scalar() {
    BeginValue();
    return true;
  }

  std::string Path() const {
    std::string path;
    for (const Frame& f : stack_) {
      if (f.is_object) {
        AppendKey(&path, f.key);
      } else {
        path += fmt::format("[{}]", f.count - 1);
      }
    }
    return path;
  }

  std::vector<Frame> stack_;
  std::string key_;
};

// The offset of the first byte that does not begin a well-formed UTF-8
// sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), or
// text.size().
size_t FirstInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + n > text.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      const unsigned char b = static_cast<unsigned char>(text[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) return i;
    }
    i += n;
  }
  return text.size();
}

}  // namespace

std::optional<SyntaxProblem> CheckJsonSyntax(std::string_view text, size_t max_depth) {
  json::parse_options options;
  options.max_depth = max_depth;
  json::basic_parser<DuplicateKeyHandler> parser(options);
  json::error_code ec;
  size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (parser.handler().problem) return parser.handler().problem;
  std::string why;
  if (ec && FirstInvalidUtf8(text) <= used) {
    // Boost says only "syntax error"; say what is wrong.
    why = "not valid UTF-8";
  } else if (ec) {
    why = ec.message();
  } else if (used < text.size()) {
    why = "unexpected text after the JSON value";
  } else {
    return std::nullopt;
  }
  // Line and column (in characters) of the byte where parsing stopped.
  size_t line = 1, column = 1;
  for (size_t i = 0; i < used && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return SyntaxProblem{"(body)", fmt::format("invalid JSON at line {} column {}: {}", line, column, why)};
}

}  // namespace sg::intake
