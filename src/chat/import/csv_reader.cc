// CSV with a header (RFC 4180: fields in double quotes may hold commas,
// doubled quotes and line breaks). Columns conversation, author, time, text
// and optional platform, in any order, header names in any case; other
// columns are ignored. Every record has as many fields as the header; blank
// lines are skipped. `time` is RFC 3339 or empty.
#include <array>
#include <vector>

#include <fmt/format.h>

#include "chat/import/readers.h"
#include "chat/import/record_fields.h"
#include "core/text.h"

namespace sg::chat {
namespace {

enum Col { kConversation, kAuthor, kTime, kText, kPlatform, kCols };
constexpr std::array<std::string_view, kCols> kColNames = {"conversation", "author", "time", "text", "platform"};

class CsvReader : public ConversationReader {
 public:
  explicit CsvReader(std::unique_ptr<ByteSource> source) : lines_(std::move(source)) { index_.fill(-1); }

  Format format() const override { return Format::kCsv; }

  Result<bool> Next(Conversation& out) override {
    if (!error_.ok()) return error_;
    if (!header_read_) {
      Status s = ReadHeader();
      if (!s.ok()) return Fail(s);
    }
    while (!done_) {
      uint64_t start = 0;
      auto more = NextRecord(&start);
      if (!more.ok()) return Fail(more.status());
      if (!*more) {
        done_ = true;
        break;
      }
      if (fields_.size() == 1 && fields_[0].empty()) continue;  // a blank line
      if (fields_.size() != header_size_) {
        return Fail(lines_.ErrorAt(start, fmt::format("{} fields, but the header has {}", fields_.size(), header_size_)));
      }
      Record r;
      r.conversation = CleanText(fields_[index_[kConversation]]);
      if (r.conversation.empty()) return Fail(lines_.ErrorAt(start, "empty conversation"));
      r.message.author = CleanText(fields_[index_[kAuthor]]);
      r.message.text = CleanText(fields_[index_[kText]]);
      if (index_[kPlatform] >= 0) r.platform = CleanText(fields_[index_[kPlatform]]);
      Status t = SetTime(TrimAscii(fields_[index_[kTime]]), r.message);
      if (!t.ok()) return Fail(lines_.ErrorAt(start, t.message()));
      r.message.line = start;
      if (group_.Add(std::move(r), lines_.name(), out)) return true;
    }
    return group_.Finish(out);
  }

 private:
  Status Fail(Status s) {
    error_ = s;
    return s;
  }

  Status ReadHeader() {
    header_read_ = true;
    uint64_t start = 0;
    do {
      SG_ASSIGN_OR_RETURN(bool more, NextRecord(&start));
      if (!more) return lines_.ErrorAt(std::max<uint64_t>(start, 1), "empty file: expected a CSV header");
    } while (fields_.size() == 1 && TrimAscii(fields_[0]).empty());
    header_size_ = fields_.size();
    for (size_t i = 0; i < fields_.size(); ++i) {
      std::string name = fields_[i];
      if (i == 0 && name.starts_with("\xEF\xBB\xBF")) name.erase(0, 3);
      name = AsciiLower(TrimAscii(name));
      for (int c = 0; c < kCols; ++c) {
        if (name != kColNames[c]) continue;
        if (index_[c] >= 0) return lines_.ErrorAt(start, fmt::format("header names column '{}' twice", name));
        index_[c] = static_cast<int>(i);
      }
    }
    for (int c = 0; c < kPlatform; ++c) {
      if (index_[c] < 0) {
        return lines_.ErrorAt(start, fmt::format("header has no '{}' column (needs conversation, author, time, text)",
                                                 kColNames[c]));
      }
    }
    return Status::Ok();
  }

  // One record into fields_, which may continue over several lines inside
  // quotes; `start` is its first line.
  Result<bool> NextRecord(uint64_t* start) {
    fields_.clear();
    std::string_view line;
    SG_ASSIGN_OR_RETURN(bool more, lines_.Next(&line));
    if (!more) return false;
    *start = lines_.line_number();
    std::string field;
    size_t record_bytes = 0;
    bool quoted = false, was_quoted = false;
    size_t i = 0;
    while (true) {
      if (i >= line.size()) {
        if (!quoted) break;
        record_bytes += line.size();
        if (record_bytes > LineReader::kMaxLineBytes) {
          return lines_.ErrorAt(*start, fmt::format("record longer than {} MiB", LineReader::kMaxLineBytes >> 20));
        }
        SG_ASSIGN_OR_RETURN(more, lines_.Next(&line));
        if (!more) return lines_.ErrorAt(*start, "unterminated quoted field");
        field.push_back('\n');
        i = 0;
        continue;
      }
      if (quoted || !was_quoted) {
        // The run up to the next special character, in one append.
        size_t j = i;
        if (quoted) {
          while (j < line.size() && line[j] != '"') ++j;
        } else {
          while (j < line.size() && line[j] != '"' && line[j] != ',') ++j;
        }
        field.append(line.data() + i, j - i);
        i = j;
        if (i >= line.size()) continue;
      }
      const char c = line[i++];
      if (quoted) {
        if (c != '"') {
          field.push_back(c);
        } else if (i < line.size() && line[i] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else if (c == '"') {
        if (was_quoted || !TrimAscii(field).empty()) {
          return lines_.ErrorAt(lines_.line_number(), "a quote inside an unquoted field");
        }
        field.clear();
        quoted = was_quoted = true;
      } else if (c == ',') {
        fields_.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (was_quoted) {
        if (c != ' ' && c != '\t') return lines_.ErrorAt(lines_.line_number(), "text after a closing quote");
      } else {
        field.push_back(c);
      }
    }
    fields_.push_back(std::move(field));
    return true;
  }

  LineReader lines_;
  std::array<int, kCols> index_;
  size_t header_size_ = 0;
  bool header_read_ = false;
  std::vector<std::string> fields_;
  Grouper group_;
  bool done_ = false;
  Status error_;
};

}  // namespace

std::unique_ptr<ConversationReader> MakeCsvReader(std::unique_ptr<ByteSource> source) {
  return std::make_unique<CsvReader>(std::move(source));
}

}  // namespace sg::chat
