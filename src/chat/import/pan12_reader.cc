// PAN-2012 XML (the sexual-predator-identification corpus's layout):
//   <conversations>
//     <conversation id="ID">
//       <message line="1"><author>A</author><time>18:05</time><text>hi</text></message>
// Read with expat, a streaming parser, in 64 KiB chunks: conversations are
// handed out as their end tag is parsed. `line` is the source line of the
// <message> start tag (the corpus's own line attribute counts within the
// conversation, which is not where evidence is in the file). Times are HH:MM
// only: minute_of_day is set, `time` stays absent. Elements other than these
// are ignored with their content; a conversation without messages is not
// yielded. The file is read as UTF-8 whatever it declares; invalid UTF-8 and
// characters XML 1.0 forbids (C0 controls, U+FFFE/U+FFFF) become U+FFFD
// before expat sees them. A DOCTYPE is refused (no entity expansion).
#include <expat.h>

#include <deque>

#include <fmt/format.h>

#include "chat/import/readers.h"

namespace sg::chat {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxField = 16u << 20;
const char kReplacement[] = "\xEF\xBF\xBD";

// Appends `in` to `out` as valid UTF-8 without characters XML forbids.
void AppendXmlSafe(std::string_view in, std::string& out) {
  size_t i = 0;
  while (i < in.size()) {
    // Printable ASCII, tabs and line breaks, the bulk of a chat log, in one append.
    size_t j = i;
    while (j < in.size()) {
      const auto b = static_cast<unsigned char>(in[j]);
      if (b >= 0x80 || (b < 0x20 && b != '\t' && b != '\n' && b != '\r')) break;
      ++j;
    }
    out.append(in.data() + i, j - i);
    i = j;
    if (i >= in.size()) break;
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += kReplacement;
      else out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07;
    bool ok = n != 0 && i + n <= in.size();
    for (size_t k = 1; ok && k < n; ++k) {
      const auto b = static_cast<unsigned char>(in[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = cp << 6 | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kMin[n] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
    if (ok) {
      out.append(in.substr(i, n));
      i += n;
    } else {
      out += kReplacement;
      ++i;
    }
  }
}

// How many bytes at the end of `s` may be the start of a sequence that the
// next chunk completes (held back until then).
size_t IncompleteTail(std::string_view s) {
  for (size_t k = 1; k <= 3 && k <= s.size(); ++k) {
    const auto c = static_cast<unsigned char>(s[s.size() - k]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    size_t n = 0;
    if ((c & 0xE0) == 0xC0) n = 2;
    else if ((c & 0xF0) == 0xE0) n = 3;
    else if ((c & 0xF8) == 0xF0) n = 4;
    return n > k ? k : 0;
  }
  return 0;
}

class Pan12Reader : public ConversationReader {
 public:
  explicit Pan12Reader(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {
    parser_ = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &Pan12Reader::OnStart, &Pan12Reader::OnEnd);
    XML_SetCharacterDataHandler(parser_, &Pan12Reader::OnText);
    XML_SetStartDoctypeDeclHandler(parser_, &Pan12Reader::OnDoctype);
  }
  ~Pan12Reader() override { XML_ParserFree(parser_); }

  Format format() const override { return Format::kPan12; }

  Result<bool> Next(Conversation& out) override {
    while (true) {
      if (!ready_.empty()) {
        out = std::move(ready_.front());
        ready_.pop_front();
        return true;
      }
      if (!error_.ok()) return error_;
      if (done_) return false;
      Status s = Feed();
      if (!s.ok()) error_ = s;
    }
  }

 private:
  enum class Field { kNone, kAuthor, kTime, kText };

  // Parses one more chunk.
  Status Feed() {
    raw_.resize(carry_.size() + kChunk);
    std::copy(carry_.begin(), carry_.end(), raw_.begin());
    SG_ASSIGN_OR_RETURN(size_t n, source_->Read(raw_.data() + carry_.size(), kChunk));
    raw_.resize(carry_.size() + n);
    const bool final = n == 0;
    const size_t hold = final ? 0 : IncompleteTail(raw_);
    carry_.assign(raw_.end() - static_cast<std::ptrdiff_t>(hold), raw_.end());
    clean_.clear();
    AppendXmlSafe(std::string_view(raw_).substr(0, raw_.size() - hold), clean_);
    if (XML_Parse(parser_, clean_.data(), static_cast<int>(clean_.size()), final) == XML_STATUS_ERROR) {
      if (!handler_error_.ok()) return handler_error_;
      return ErrorAt(source_->name(), XML_GetCurrentLineNumber(parser_),
                     fmt::format("XML: {}", XML_ErrorString(XML_GetErrorCode(parser_))));
    }
    if (final) done_ = true;
    return Status::Ok();
  }

  void Stop(std::string_view reason) {
    handler_error_ = ErrorAt(source_->name(), XML_GetCurrentLineNumber(parser_), reason);
    XML_StopParser(parser_, XML_FALSE);
  }

  static void OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<Pan12Reader*>(self)->Stop("a DOCTYPE is not allowed in a PAN-2012 file");
  }

  static void OnStart(void* p, const XML_Char* name, const XML_Char** atts) {
    auto* self = static_cast<Pan12Reader*>(p);
    const std::string_view n = name;
    const int depth = self->depth_++;
    if (self->skip_from_ >= 0) return;
    if (depth == 0) {
      if (n != "conversations") self->Stop(fmt::format("the root element is <{}>, not <conversations>", n));
    } else if (depth == 1 && n == "conversation") {
      self->conv_ = Conversation();
      self->conv_.source = self->source_->name();
      const XML_Char* id = nullptr;
      for (int i = 0; atts[i] != nullptr; i += 2) {
        if (std::string_view(atts[i]) == "id") id = atts[i + 1];
      }
      if (id == nullptr || *id == '\0') return self->Stop("<conversation> without an id");
      self->conv_.id = id;
    } else if (depth == 2 && n == "message") {
      self->msg_ = Message();
      self->msg_.line = XML_GetCurrentLineNumber(self->parser_);
    } else if (depth == 3 && (n == "author" || n == "time" || n == "text")) {
      self->field_ = n == "author" ? Field::kAuthor : n == "time" ? Field::kTime : Field::kText;
      self->value_.clear();
    } else {
      self->skip_from_ = depth;  // something else: ignored with its content
    }
  }

  static void OnText(void* p, const XML_Char* s, int len) {
    auto* self = static_cast<Pan12Reader*>(p);
    if (self->field_ == Field::kNone || self->skip_from_ >= 0) return;
    if (self->value_.size() + static_cast<size_t>(len) > kMaxField) {
      return self->Stop(fmt::format("a message field longer than {} MiB", kMaxField >> 20));
    }
    self->value_.append(s, static_cast<size_t>(len));
  }

  static void OnEnd(void* p, const XML_Char*) {
    auto* self = static_cast<Pan12Reader*>(p);
    const int depth = --self->depth_;
    if (self->skip_from_ >= 0) {
      if (self->skip_from_ == depth) self->skip_from_ = -1;
      return;
    }
    if (depth == 3) {
      if (self->field_ == Field::kAuthor) self->msg_.author = std::move(self->value_);
      else if (self->field_ == Field::kText) self->msg_.text = std::move(self->value_);
      else if (self->field_ == Field::kTime) self->msg_.minute_of_day = MinuteOfDay(self->value_);
      self->field_ = Field::kNone;
      self->value_.clear();
    } else if (depth == 2) {
      self->conv_.messages.push_back(std::move(self->msg_));
    } else if (depth == 1) {
      if (!self->conv_.messages.empty()) self->ready_.push_back(std::move(self->conv_));
      self->conv_ = Conversation();
    }
  }

  // "HH:MM" (leading and trailing blanks allowed) -> minutes since midnight.
  static std::optional<int> MinuteOfDay(std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\t' || t.front() == '\r')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    int h = 0, m = 0;
    size_t i = 0;
    while (i < t.size() && i < 2 && digit(t[i])) h = h * 10 + (t[i++] - '0');
    if (i == 0 || i >= t.size() || t[i] != ':' || t.size() < i + 3) return std::nullopt;
    if (!digit(t[i + 1]) || !digit(t[i + 2])) return std::nullopt;
    m = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
    if (h > 23 || m > 59) return std::nullopt;
    return h * 60 + m;
  }

  std::unique_ptr<ByteSource> source_;
  XML_Parser parser_;
  std::string raw_, carry_, clean_;
  std::deque<Conversation> ready_;  // completed by the last chunk
  Conversation conv_;
  Message msg_;
  Field field_ = Field::kNone;
  std::string value_;
  int depth_ = 0;
  int skip_from_ = -1;  // depth of an ignored element, or -1
  bool done_ = false;
  Status error_, handler_error_;
};

}  // namespace

std::unique_ptr<ConversationReader> MakePan12Reader(std::unique_ptr<ByteSource> source) {
  return std::make_unique<Pan12Reader>(std::move(source));
}

}  // namespace sg::chat
