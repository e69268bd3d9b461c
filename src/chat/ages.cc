#include "chat/ages.h"

#include <algorithm>
#include <array>
#include <map>

namespace sg::chat {
namespace {

struct Token {
  std::string text;     // lower case; apostrophes removed ("i'm" -> "im")
  uint32_t begin = 0, end = 0;
  int number = -1;      // value when the token is a number (digits or a word)
  bool digits = false;
};

bool IsAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

int NumberWord(std::string_view w) {
  static constexpr std::array<std::string_view, 26> kWords = {
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
      "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "", "", "", "", ""};
  for (size_t i = 5; i < kWords.size(); ++i) if (!kWords[i].empty() && kWords[i] == w) return static_cast<int>(i);
  return -1;
}

// Letters/digits runs split where letters meet digits ("13yo" -> 13, yo;
// "yr8" -> yr, 8); apostrophes inside words dropped; other symbols are
// one-character tokens (":", "/", "£", "$", ".", "?").
std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (IsAlpha(c) || IsDigit(c)) {
      bool digit = IsDigit(c);
      Token t;
      t.begin = static_cast<uint32_t>(i);
      while (i < s.size()) {
        unsigned char d = s[i];
        if ((d == '\'' ) && !digit && i + 1 < s.size() && IsAlpha(static_cast<unsigned char>(s[i + 1]))) {
          ++i;
          continue;
        }
        if (i + 2 < s.size() && d == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            static_cast<unsigned char>(s[i + 2]) == 0x99 && !digit) {  // U+2019 inside a word
          i += 3;
          continue;
        }
        if (digit ? !IsDigit(d) : !IsAlpha(d)) break;
        t.text.push_back(static_cast<char>(d >= 'A' && d <= 'Z' ? d + 32 : d));
        ++i;
      }
      t.end = static_cast<uint32_t>(i);
      t.digits = digit;
      if (digit) t.number = t.text.size() <= 3 ? std::stoi(t.text) : 1000;
      else t.number = NumberWord(t.text);
      out.push_back(std::move(t));
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { ++i; continue; }
    Token t;
    t.begin = static_cast<uint32_t>(i);
    size_t len = 1;
    if (c >= 0xC0) {  // one UTF-8 sequence ("£", "€", emoji) as one token
      while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
    }
    t.text = std::string(s.substr(i, len));
    i += len;
    t.end = static_cast<uint32_t>(i);
    out.push_back(std::move(t));
  }
  return out;
}

bool In(std::string_view w, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

// Words after a number that make it a quantity, not an age.
bool UnitAfter(std::string_view w) {
  return In(w, {"mile", "miles", "mi", "km", "kms", "k", "minute", "minutes", "min", "mins", "hour", "hours", "hr",
                "hrs", "h", "day", "days", "week", "weeks", "wk", "month", "months", "second", "seconds", "sec",
                "secs", "metre", "metres", "meter", "meters", "feet", "ft", "foot", "percent", "x", "times",
                "pound", "pounds", "quid", "p", "pence", "dollar", "dollars", "bucks", "euro", "euros", "am", "pm",
                "oclock", "points", "point", "pts", "goals", "kills", "wins", "followers", "likes", "people",
                "th", "st", "nd", "rd", "lbs", "kg", "stone", "cm", "inches", "robux", "vbucks", "coins", "gems",
                "messages", "msgs", "texts", "games", "matches", "levels", "of", "more", "left", "ago", "in a row",
                "plus", "items", "mph", "degrees", "%", "-", "+", "people", "kids", "friends", "min"});
}

// Words before a number that make it a counter or label, not an age.
bool CounterBefore(std::string_view w) {
  return In(w, {"level", "lvl", "lv", "rank", "tier", "wave", "round", "chapter", "season", "episode", "ep",
                "room", "page", "number", "no", "version", "v", "iphone", "galaxy", "ps", "fifa", "gta", "top",
                "bus", "route", "platform", "gate", "floor", "flat", "house", "score", "scored", "got", "get",
                "only", "about", "over", "under", "than", "#", "£", "$", "€", "at", "by", "to", "from", "till",
                "until", "x", "size", "channel", "step", "day", "week", "part", "series", "team", "lobby", "server",
                "world", "stage", "mission", "act", "minecraft", "covid", "for", "in", "and", "or", "of"});
}

bool ThirdPartyWord(std::string_view w) {
  return In(w, {"he", "hes", "she", "shes", "they", "theyre", "his", "her", "their", "brother", "sister", "bro",
                "sis", "son", "daughter", "kid", "kids", "cousin", "friend", "friends", "mate", "niece", "nephew",
                "child", "children", "boy", "girl", "baby", "mum", "mom", "dad", "grandson", "granddaughter",
                "nan", "stepson", "stepdaughter", "boyfriend", "girlfriend", "bf", "gf", "bestie", "pupils",
                "students", "class", "team", "players", "dog", "cat", "car", "phone", "laptop", "youngest",
                "oldest", "eldest", "twins", "who", "whos", "u", "you", "youre", "ur", "yours"});
}

bool PastWord(std::string_view w) { return In(w, {"was", "were", "wasnt", "used", "back", "when", "since"}); }

bool SelfLead(std::string_view w) { return In(w, {"im", "iam"}); }

struct Ctx {
  const std::vector<Token>& t;
  std::string_view w(size_t i) const { return i < t.size() ? std::string_view(t[i].text) : std::string_view(); }
  bool has(size_t i) const { return i < t.size(); }
};

// Scans back from token `i` (exclusive) to the start of the clause for a
// third-party or past-tense marker.
bool OtherOrPast(const Ctx& c, size_t i, size_t self_at) {
  size_t stop = i > 6 ? i - 6 : 0;
  for (size_t k = i; k-- > stop;) {
    std::string_view w = c.w(k);
    if (w == "." || w == "," || w == "!" || w == "?" || w == ";" || w == "and" || w == "but") break;
    if (k < self_at) break;  // "im" starts the clause about oneself
    if (ThirdPartyWord(w) || PastWord(w)) return true;
    if (w == "my" && k + 1 < i) return true;  // "my little brother is 13"
  }
  return false;
}

bool FollowedByUnit(const Ctx& c, size_t i) {
  std::string_view n = c.w(i + 1);
  if (n.empty()) return false;
  if (n == ":" || n == ".") return c.has(i + 2) && c.t[i + 2].digits;  // 13:00, 13.50
  if (n == "year" || n == "years" || n == "yrs" || n == "yr") {
    std::string_view after = c.w(i + 2);
    return after != "old" && after != "olds";  // "13 years ago", "for 13 years"
  }
  return UnitAfter(n);
}

bool AgeSuffixAt(const Ctx& c, size_t i, size_t* last) {
  std::string_view n = c.w(i);
  if (n == "yo" || n == "yos" || n == "yro") { *last = i; return true; }
  if ((n == "y") && c.w(i + 1) == "/" && c.w(i + 2) == "o") { *last = i + 2; return true; }
  if ((n == "year" || n == "years" || n == "yr" || n == "yrs") && (c.w(i + 1) == "old" || c.w(i + 1) == "olds")) {
    *last = i + 1;
    return true;
  }
  return false;
}

bool SexWord(std::string_view w) { return In(w, {"f", "m", "female", "male", "girl", "boy", "fem", "g", "b"}); }

AgeMention Make(const Ctx& c, size_t from, size_t to, int low, int high, double conf, AgeForm form) {
  AgeMention m;
  m.low = low;
  m.high = high;
  m.confidence = conf;
  m.form = form;
  m.begin = c.t[from].begin;
  m.end = c.t[to].end;
  return m;
}

bool QuickReject(std::string_view s) {
  for (unsigned char ch : s) if (IsDigit(ch)) return false;
  std::string lower;
  lower.reserve(s.size());
  for (unsigned char ch : s) lower.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
  for (std::string_view k : {"teen", "twelve", "eleven", "ten", "five", "six", "seven", "eight", "nine",
                             "twenty", "freshman", "sophomore", "junior", "senior"}) {
    if (lower.find(k) != std::string::npos) return false;
  }
  return true;
}

}  // namespace

std::string_view AgeFormName(AgeForm f) {
  switch (f) {
    case AgeForm::kStated: return "stated";
    case AgeForm::kAslAnswer: return "asl";
    case AgeForm::kFuture: return "future";
    case AgeForm::kSchoolYear: return "school_year";
    case AgeForm::kGrade: return "grade";
    case AgeForm::kBareAnswer: return "answer";
  }
  return "stated";
}

bool AsksAge(std::string_view text) {
  // Every question form below has "old", "asl" or "age" in it: most messages
  // skip the tokenizer.
  bool maybe = false;
  for (size_t i = 0; i + 2 < text.size() && !maybe; ++i) {
    char a = static_cast<char>(text[i] | 0x20), b = static_cast<char>(text[i + 1] | 0x20),
         c = static_cast<char>(text[i + 2] | 0x20);
    maybe = (a == 'o' && b == 'l' && c == 'd') || (a == 'a' && b == 's' && c == 'l') ||
            (a == 'a' && b == 'g' && c == 'e');
  }
  if (!maybe) return false;
  std::vector<Token> t = Tokenize(text);
  Ctx c{t};
  for (size_t i = 0; i < t.size(); ++i) {
    std::string_view w = c.w(i);
    if (w == "asl") return true;
    if (w == "how" && c.w(i + 1) == "old") return true;
    if (w == "age" && (c.w(i + 1) == "?" || i + 1 == t.size())) return true;
    if (w == "what" && c.w(i + 1) == "age") return true;
    if ((w == "ur" || w == "your") && c.w(i + 1) == "age") return true;
  }
  return false;
}

std::vector<AgeMention> FindAgeMentions(std::string_view text, bool after_age_question) {
  std::vector<AgeMention> out;
  if (QuickReject(text)) return out;
  std::vector<Token> t = Tokenize(text);
  Ctx c{t};
  for (size_t i = 0; i < t.size(); ++i) {
    const Token& tok = t[i];
    std::string_view w = tok.text;
    std::string_view prev = i > 0 ? c.w(i - 1) : std::string_view();
    // School forms first: "year 8", "yr 8", "p7", "s2", "8th grade", "grade 8", "freshman".
    if ((w == "year" || w == "yr" || w == "y") && c.has(i + 1) && t[i + 1].digits && t[i + 1].number >= 1 &&
        t[i + 1].number <= 13 && (prev == "in" || prev == "im") && !FollowedByUnit(c, i + 1) &&
        !OtherOrPast(c, i - 1, 0)) {
      int n = t[i + 1].number;
      out.push_back(Make(c, i, i + 1, n + 4, n + 5, 0.75, AgeForm::kSchoolYear));
      ++i;
      continue;
    }
    if ((w == "p" || w == "s") && c.has(i + 1) && t[i + 1].digits && (prev == "in" || prev == "im") &&
        !OtherOrPast(c, i - 1, 0)) {
      int n = t[i + 1].number;
      if (w == "p" && n >= 1 && n <= 7) out.push_back(Make(c, i, i + 1, n + 3, n + 4, 0.7, AgeForm::kSchoolYear));
      if (w == "s" && n >= 1 && n <= 6) out.push_back(Make(c, i, i + 1, n + 10, n + 11, 0.7, AgeForm::kSchoolYear));
      ++i;
      continue;
    }
    if (tok.digits && tok.number >= 1 && tok.number <= 12 && In(c.w(i + 1), {"th", "st", "nd", "rd"}) &&
        c.w(i + 2) == "grade" && !OtherOrPast(c, i, 0)) {
      out.push_back(Make(c, i, i + 2, tok.number + 5, tok.number + 6, 0.75, AgeForm::kGrade));
      i += 2;
      continue;
    }
    if (w == "grade" && c.has(i + 1) && t[i + 1].digits && t[i + 1].number >= 1 && t[i + 1].number <= 12 &&
        (prev == "in" || prev == "im") && !OtherOrPast(c, i - 1, 0)) {
      out.push_back(Make(c, i, i + 1, t[i + 1].number + 5, t[i + 1].number + 6, 0.75, AgeForm::kGrade));
      ++i;
      continue;
    }
    if ((w == "freshman" || w == "sophomore" || w == "junior" || w == "senior") && i >= 2 && prev == "a" &&
        SelfLead(c.w(i - 2)) && c.w(i + 1) != "at" && c.w(i + 2) != "college" && c.w(i + 2) != "uni") {
      int low = w == "freshman" ? 14 : w == "sophomore" ? 15 : w == "junior" ? 16 : 17;
      out.push_back(Make(c, i - 2, i, low, low + 1, 0.5, AgeForm::kGrade));
      continue;
    }
    if (tok.number < 5 || tok.number > 99) continue;
    int n = tok.number;
    if (CounterBefore(prev) && !(prev == "only" && i >= 2 && SelfLead(c.w(i - 2)))) {
      // "level 13", "£13", "at 13"; but "im only 13" is an age.
      continue;
    }
    if (FollowedByUnit(c, i)) continue;
    if (i >= 2 && (prev == "." || prev == ":") && t[i - 2].digits) continue;  // "1.13", "12:13"
    size_t last = i;
    bool suffix = AgeSuffixAt(c, i + 1, &last);
    // "im 13", "i am 13", "im only/just/nearly 13".
    size_t lead = i;
    if (i >= 1 && In(prev, {"only", "just", "nearly", "almost", "actually", "literally", "like"})) lead = i - 1;
    bool self = lead >= 1 && (SelfLead(c.w(lead - 1)) || (c.w(lead - 1) == "am" && lead >= 2 && c.w(lead - 2) == "i"));
    if (self) {
      size_t start = c.w(lead - 1) == "am" ? lead - 2 : lead - 1;
      // "when im 18", "if i am 16": hypothetical, not a claim.
      bool hypothetical = start >= 1 && In(c.w(start - 1), {"when", "if", "til", "till", "until", "once", "wish"});
      if (!hypothetical && !OtherOrPast(c, start, start)) {
        out.push_back(Make(c, start, last, n, n, suffix ? 0.95 : 0.85, AgeForm::kStated));
        i = last;
        continue;
      }
      continue;
    }
    // "turning 14", "ill be 14", "i will be 14", "gonna be 14".
    if (prev == "turning" || prev == "turn" ||
        (prev == "be" && i >= 2 && In(c.w(i - 2), {"ill", "will", "gonna", "shall"}))) {
      size_t start = prev == "be" ? i - 2 : i - 1;
      if (!OtherOrPast(c, start, start) && !(start >= 1 && In(c.w(start - 1), {"he", "she", "they", "hell", "shell"}))) {
        out.push_back(Make(c, start, last, n - 1, n - 1, 0.7, AgeForm::kFuture));
        i = last;
        continue;
      }
      continue;
    }
    // "age 13", "aged 13", "age: 13".
    if (prev == "age" || prev == "aged" || (prev == ":" && i >= 2 && c.w(i - 2) == "age")) {
      size_t start = prev == ":" ? i - 2 : i - 1;
      if (!OtherOrPast(c, start, 0)) out.push_back(Make(c, start, last, n, n, 0.8, AgeForm::kStated));
      i = last;
      continue;
    }
    // "13 yo", "13 years old" on its own: the speaker's own unless a third party is named.
    if (suffix) {
      if (!OtherOrPast(c, i, 0)) out.push_back(Make(c, i, last, n, n, 0.85, AgeForm::kStated));
      i = last;
      continue;
    }
    // asl answers: "13/f", "14 f uk", "asl? 14 f".
    bool slash = c.w(i + 1) == "/" && SexWord(c.w(i + 2));
    bool sex_next = SexWord(c.w(i + 1)) && (i == 0 || prev == "asl" || prev == "?" || after_age_question);
    if ((slash || sex_next) && !OtherOrPast(c, i, 0)) {
      out.push_back(Make(c, i, slash ? i + 2 : i + 1, n, n, slash ? 0.9 : 0.8, AgeForm::kAslAnswer));
      i += slash ? 2 : 1;
      continue;
    }
    // A bare number answering "how old are you": "13", "13 u?", "13 hbu".
    if (after_age_question && i == 0 &&
        (t.size() == 1 || In(c.w(1), {"u", "you", "hbu", "wbu", "and", "?", "!", ".", ","}))) {
      out.push_back(Make(c, i, i, n, n, 0.6, AgeForm::kBareAnswer));
    }
  }
  return out;
}

std::vector<AgeClaim> ExtractAgeClaims(const Conversation& conversation) {
  std::vector<AgeClaim> out;
  bool asked = false;
  const std::string* asker = nullptr;
  for (size_t m = 0; m < conversation.messages.size(); ++m) {
    const Message& msg = conversation.messages[m];
    bool after_question = asked && asker && *asker != msg.author;
    for (AgeMention& a : FindAgeMentions(msg.text, after_question)) {
      out.push_back(AgeClaim{msg.author, conversation.id, msg.line, m, a});
    }
    // Only the next message of another author answers; the flag lasts two messages.
    bool asks = msg.text.size() < 400 && AsksAge(msg.text);
    if (asks) {
      asked = true;
      asker = &msg.author;
    } else if (after_question) {
      asked = false;
    }
  }
  return out;
}

std::vector<AuthorAge> CombineAgeClaims(const std::vector<AgeClaim>& claims) {
  std::map<std::string, std::vector<const AgeClaim*>> by_author;
  for (const AgeClaim& c : claims) by_author[c.author].push_back(&c);
  std::vector<AuthorAge> out;
  for (auto& [author, list] : by_author) {
    AuthorAge a;
    a.author = author;
    a.claims = list.size();
    const AgeClaim* best = list.front();
    for (const AgeClaim* c : list) {
      if (c->mention.confidence > best->mention.confidence) best = c;
    }
    a.low = best->mention.low;
    a.high = best->mention.high;
    a.confidence = best->mention.confidence;
    // Two claims conflict when their ranges, widened by a year for birthdays
    // between the messages, do not overlap.
    for (size_t i = 0; i < list.size() && !a.conflicting; ++i) {
      for (size_t j = i + 1; j < list.size(); ++j) {
        const AgeMention& x = list[i]->mention;
        const AgeMention& y = list[j]->mention;
        if (x.high + 1 < y.low || y.high + 1 < x.low) {
          a.conflicting = true;
          break;
        }
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace sg::chat
