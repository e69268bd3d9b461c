// JSON lines: one object per line,
//   {"conversation": "c1", "author": "a", "time": "2026-11-29T18:05:00Z", "text": "hi", "platform": "x"}
// `conversation` a non-empty string or an integer; `author` and `text`
// strings; `time` an RFC 3339 string, "" or null; `platform` optional. Other
// keys are ignored; blank lines are skipped.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "chat/import/readers.h"
#include "chat/import/record_fields.h"
#include "core/text.h"

namespace sg::chat {
namespace {

namespace json = boost::json;

class JsonlReader : public ConversationReader {
 public:
  explicit JsonlReader(std::unique_ptr<ByteSource> source) : lines_(std::move(source)) {
    json::parse_options opt;
    opt.allow_invalid_utf8 = true;  // repaired to U+FFFD below
    opt.max_depth = 16;
    parser_.emplace(json::storage_ptr(), opt);
  }

  Format format() const override { return Format::kJsonl; }

  Result<bool> Next(Conversation& out) override {
    if (!error_.ok()) return error_;
    while (!done_) {
      std::string_view line;
      auto more = lines_.Next(&line);
      if (!more.ok()) return Fail(more.status());
      if (!*more) {
        done_ = true;
        break;
      }
      if (lines_.line_number() == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // a BOM
      if (TrimAscii(line).empty()) continue;
      auto record = ParseLine(line);
      if (!record.ok()) return Fail(lines_.ErrorAt(lines_.line_number(), record.status().message()));
      if (group_.Add(std::move(record).value(), lines_.name(), out)) return true;
    }
    return group_.Finish(out);
  }

 private:
  Status Fail(Status s) {
    error_ = s;
    return s;
  }

  static Result<std::string> StringField(const json::object& o, std::string_view key, bool required) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
      if (required) return InvalidArgument(fmt::format("missing \"{}\"", key));
      return std::string();
    }
    if (!v->is_string()) return InvalidArgument(fmt::format("\"{}\" is not a string", key));
    return CleanText(std::string_view(v->get_string()));
  }

  Result<Record> ParseLine(std::string_view line) {
    parser_->reset();
    boost::system::error_code ec;
    parser_->write(line.data(), line.size(), ec);
    if (ec) return InvalidArgument(fmt::format("not a JSON object: {}", ec.message()));
    json::value v = parser_->release();
    if (!v.is_object()) return InvalidArgument("not a JSON object");
    const json::object& o = v.get_object();
    Record r;
    const json::value* conv = o.if_contains("conversation");
    if (conv == nullptr || conv->is_null()) return InvalidArgument("missing \"conversation\"");
    if (conv->is_string()) {
      r.conversation = CleanText(std::string_view(conv->get_string()));
    } else if (conv->is_int64()) {
      r.conversation = std::to_string(conv->get_int64());
    } else if (conv->is_uint64()) {
      r.conversation = std::to_string(conv->get_uint64());
    } else {
      return InvalidArgument("\"conversation\" is not a string or an integer");
    }
    if (r.conversation.empty()) return InvalidArgument("\"conversation\" is empty");
    SG_ASSIGN_OR_RETURN(r.message.author, StringField(o, "author", true));
    SG_ASSIGN_OR_RETURN(r.message.text, StringField(o, "text", true));
    if (!o.contains("time")) return InvalidArgument("missing \"time\" (null or \"\" when unknown)");
    SG_ASSIGN_OR_RETURN(std::string time, StringField(o, "time", false));
    SG_RETURN_IF_ERROR(SetTime(time, r.message));
    SG_ASSIGN_OR_RETURN(r.platform, StringField(o, "platform", false));
    r.message.line = lines_.line_number();
    return r;
  }

  LineReader lines_;
  std::optional<json::parser> parser_;
  Grouper group_;
  bool done_ = false;
  Status error_;
};

}  // namespace

std::unique_ptr<ConversationReader> MakeJsonlReader(std::unique_ptr<ByteSource> source) {
  return std::make_unique<JsonlReader>(std::move(source));
}

}  // namespace sg::chat
