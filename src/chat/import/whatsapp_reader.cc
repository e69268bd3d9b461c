// WhatsApp's exported chat text, one file = one conversation (id = the file
// stem). A message starts with a header line in either export form:
//   iOS:      [29/11/2026, 18:05:12] Name: text
//   Android:  29/11/2026, 18:05 - Name: text
// dates day-first or month-first (d/m/y or m/d/y, separators / . -, 2- or
// 4-digit years), times 24-hour or 12-hour with am/pm (after a space, a
// no-break space or U+202F), seconds optional. Lines that are not headers
// continue the message before. Headers without "Name: " are system lines
// (encryption notices, "X added Y") and are skipped with their continuation.
// A BOM and U+200E/U+200F marks at the start of a line or a text are dropped.
//
// Day-first or month-first is decided for the whole file once it is read:
// a first field above 12 means day-first, a second above 12 month-first,
// both in one file is an error; when no date tells, 12-hour times mean
// month-first (US exports) and 24-hour day-first. The times are the phone's
// wall clock; without a zone they are stored as if UTC.
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "chat/import/readers.h"

namespace sg::chat {
namespace {

struct Header {
  int a = 0, b = 0, year = 0;  // the date's fields as written: a/b/year
  int hour = 0, minute = 0, second = 0;
  bool twelve_hour = false, pm = false;
  bool system = false;         // no "Name: "
  std::string_view author, text;
};

// Cursor over a line.
struct Cur {
  std::string_view s;
  size_t i = 0;
  bool Eat(std::string_view t) {
    if (s.substr(i).starts_with(t)) {
      i += t.size();
      return true;
    }
    return false;
  }
  // 1..max digits.
  bool Num(int max_digits, int* out, int* ndigits = nullptr) {
    int n = 0, v = 0;
    while (n < max_digits && i < s.size() && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0'), ++n;
    if (ndigits != nullptr) *ndigits = n;
    *out = v;
    return n > 0;
  }
  // A space, a no-break space or a narrow no-break space.
  bool Space() { return Eat(" ") || Eat("\xC2\xA0") || Eat("\xE2\x80\xAF"); }
};

std::string_view DropMarks(std::string_view s) {
  while (true) {
    if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);                               // BOM
    else if (s.starts_with("\xE2\x80\x8E") || s.starts_with("\xE2\x80\x8F")) s.remove_prefix(3);  // LRM, RLM
    else return s;
  }
}

bool ParseHeader(std::string_view line, Header* h) {
  Cur c{DropMarks(line)};
  const bool ios = c.Eat("[");
  int digits = 0;
  if (!c.Num(2, &h->a)) return false;
  if (c.i >= c.s.size()) return false;
  const char sep = c.s[c.i];
  if (sep != '/' && sep != '.' && sep != '-') return false;
  ++c.i;
  if (!c.Num(2, &h->b) || !c.Eat(std::string_view(&sep, 1)) || !c.Num(4, &h->year, &digits)) return false;
  if (digits != 2 && digits != 4) return false;
  if (digits == 2) h->year += 2000;
  c.Eat(".");  // some locales end the date with a dot
  if (!c.Eat(",")) return false;
  c.Space();
  if (!c.Num(2, &h->hour) || !c.Eat(":") || !c.Num(2, &h->minute, &digits) || digits != 2) return false;
  h->second = 0;
  if (c.Eat(":") && (!c.Num(2, &h->second, &digits) || digits != 2)) return false;
  h->twelve_hour = h->pm = false;
  {
    Cur after = c;
    after.Space();
    const std::string_view rest = after.s.substr(after.i);
    for (std::string_view m : {"am", "pm", "AM", "PM", "a.m.", "p.m.", "A.M.", "P.M."}) {
      if (rest.starts_with(m)) {
        h->twelve_hour = true;
        h->pm = m[0] == 'p' || m[0] == 'P';
        c = after;
        c.i += m.size();
        break;
      }
    }
  }
  if (ios) {
    if (!c.Eat("]") || !c.Space()) return false;
  } else {
    if (!c.Space() || !(c.Eat("-") || c.Eat("\xE2\x80\x93")) || !c.Space()) return false;
  }
  std::string_view rest = DropMarks(c.s.substr(c.i));
  const size_t colon = rest.find(": ");
  if (colon == std::string_view::npos || colon == 0) {
    h->system = true;
    h->author = {};
    h->text = rest;
  } else {
    h->system = false;
    h->author = rest.substr(0, colon);
    h->text = DropMarks(rest.substr(colon + 2));
  }
  return true;
}

struct Pending {
  Header h;
  uint64_t line = 0;
};

class WhatsappReader : public ConversationReader {
 public:
  WhatsappReader(std::unique_ptr<ByteSource> source, std::string id) : lines_(std::move(source)), id_(std::move(id)) {}

  Format format() const override { return Format::kWhatsapp; }

  Result<bool> Next(Conversation& out) override {
    if (!error_.ok()) return error_;
    if (done_) return false;
    done_ = true;
    auto r = ReadAll(out);
    if (!r.ok()) {
      error_ = r.status();
      return error_;
    }
    return *r;
  }

 private:
  Result<bool> ReadAll(Conversation& out) {
    Conversation conv;
    conv.id = id_;
    conv.platform = "whatsapp";
    conv.source = lines_.name();
    std::vector<Pending> heads;  // one per message in conv.messages
    bool in_system = false, seen_header = false;
    std::string_view line;
    while (true) {
      SG_ASSIGN_OR_RETURN(bool more, lines_.Next(&line));
      if (!more) break;
      Header h;
      if (ParseHeader(line, &h)) {
        seen_header = true;
        in_system = h.system;
        if (h.system) continue;
        Message m;
        m.author = CleanText(h.author);
        m.text = CleanText(h.text);
        m.line = lines_.line_number();
        h.author = h.text = {};  // views into the line: not kept
        heads.push_back({h, m.line});
        conv.messages.push_back(std::move(m));
        continue;
      }
      if (!seen_header) {
        if (DropMarks(line).find_first_not_of(" \t") == std::string_view::npos) continue;
        return lines_.ErrorAt(lines_.line_number(),
                              "not a WhatsApp chat export: expected \"[DATE, TIME] NAME: TEXT\" or "
                              "\"DATE, TIME - NAME: TEXT\"");
      }
      if (in_system) continue;
      std::string& text = conv.messages.back().text;
      text.push_back('\n');
      text += CleanText(line);
    }
    if (conv.messages.empty()) {
      if (!seen_header) return lines_.ErrorAt(std::max<uint64_t>(lines_.line_number(), 1), "empty WhatsApp export");
      return false;  // only system lines
    }
    SG_RETURN_IF_ERROR(SetTimes(heads, conv));
    out = std::move(conv);
    return true;
  }

  Status SetTimes(const std::vector<Pending>& heads, Conversation& conv) {
    const Pending* day_first = nullptr;
    const Pending* month_first = nullptr;
    bool twelve = false;
    for (const Pending& p : heads) {
      if (p.h.a > 12 && day_first == nullptr) day_first = &p;
      if (p.h.b > 12 && month_first == nullptr) month_first = &p;
      twelve |= p.h.twelve_hour;
    }
    if (day_first != nullptr && month_first != nullptr) {
      return lines_.ErrorAt(std::max(day_first->line, month_first->line),
                            fmt::format("dates are day-first at line {} but month-first at line {}",
                                        day_first->line, month_first->line));
    }
    const bool dmy = day_first != nullptr || (month_first == nullptr && !twelve);
    for (size_t i = 0; i < heads.size(); ++i) {
      const Header& h = heads[i].h;
      const int day = dmy ? h.a : h.b, month = dmy ? h.b : h.a;
      int hour = h.hour;
      if (h.twelve_hour) {
        if (hour < 1 || hour > 12) {
          return lines_.ErrorAt(heads[i].line, fmt::format("no hour {} on a 12-hour clock", hour));
        }
        hour = hour % 12 + (h.pm ? 12 : 0);
      }
      const std::chrono::year_month_day ymd{std::chrono::year(h.year), std::chrono::month(month),
                                            std::chrono::day(day)};
      if (!ymd.ok()) {
        return lines_.ErrorAt(heads[i].line, fmt::format("no such date: day {} of month {} in {} (read {})", day, month,
                                                         h.year, dmy ? "day-first" : "month-first"));
      }
      if (hour > 23 || h.minute > 59 || h.second > 59) {
        return lines_.ErrorAt(heads[i].line, fmt::format("no such time {:02}:{:02}:{:02}", hour, h.minute, h.second));
      }
      Message& m = conv.messages[i];
      m.time = std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(h.minute) +
               std::chrono::seconds(h.second);
      m.minute_of_day = hour * 60 + h.minute;
    }
    return Status::Ok();
  }

  LineReader lines_;
  std::string id_;
  bool done_ = false;
  Status error_;
};

}  // namespace

std::unique_ptr<ConversationReader> MakeWhatsappReader(std::unique_ptr<ByteSource> source, std::string id) {
  return std::make_unique<WhatsappReader>(std::move(source), std::move(id));
}

}  // namespace sg::chat
