#include "chat/scan_buffer.h"

#include <algorithm>

#include <utf8proc.h>

#include "chat/look_alikes.h"

namespace sg::chat {
namespace {

bool IsLetter(unsigned char c) { return (c >= 'a' && c <= 'z'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
// Bytes that belong to a word for the look-alike rule: letters, digits,
// '@', '$', the apostrophe of a contraction ("what'5" is "what's"), the
// slash of an abbreviation ("4/5/l" is "a/s/l") and non-ASCII bytes.
bool IsWordByte(unsigned char c) {
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return (c >= '0' && c <= '9') || c == '@' || c == '$' || c == '\'' || c == '/' || c >= 0x80;
}
bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Suffixes after a number that keep it a number: "13yo", "8th", "5pm", "13f".
bool NumberSuffix(std::string_view s) {
  static constexpr std::string_view kSuffixes[] = {"st", "nd", "rd", "th", "yo", "yrs", "yr", "y", "am",
                                                   "pm", "f", "m", "k", "s", "mins", "min", "h", "hrs"};
  for (auto k : kSuffixes) if (s == k) return true;
  return false;
}

bool IsZeroWidth(utf8proc_int32_t cp) {
  return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD ||
         cp == 0x180E;
}

// Folds a message with non-ASCII bytes to lower-case NFKD-without-marks text,
// keeping the origin of every output byte. ASCII messages skip this.
void FoldUnicode(std::string_view in, std::string* out, std::vector<uint32_t>* origin) {
  out->clear();
  origin->clear();
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = in[i];
    if (c < 0x80) {
      out->push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      origin->push_back(static_cast<uint32_t>(i));
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(in.data() + i),
                              static_cast<utf8proc_ssize_t>(in.size() - i), &cp);
    if (n <= 0) {  // invalid byte: keep as is (importers already replaced these)
      out->push_back(static_cast<char>(c));
      origin->push_back(static_cast<uint32_t>(i));
      ++i;
      continue;
    }
    uint32_t at = static_cast<uint32_t>(i);
    i += static_cast<size_t>(n);
    if (IsZeroWidth(cp)) continue;
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x2032) {
      out->push_back('\'');
      origin->push_back(at);
      continue;
    }
    utf8proc_int32_t buf[8];
    int bound = 0;
    auto m = utf8proc_decompose_char(
        cp, buf, 8,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
        &bound);
    if (m < 0 || m > 8) {
      buf[0] = cp;
      m = 1;
    }
    for (int k = 0; k < m; ++k) {
      utf8proc_uint8_t enc[4];
      auto len = utf8proc_encode_char(buf[k], enc);
      for (int b = 0; b < len; ++b) {
        out->push_back(static_cast<char>(enc[b]));
        origin->push_back(at);
      }
    }
  }
}

bool HasNonAscii(std::string_view s) {
  for (unsigned char c : s) if (c >= 0x80) return true;
  return false;
}

// Appends the normalised form of `s` (already lower case when folded) to out.
// origin_of(i) gives the original offset of s[i].
template <typename OriginOf>
void AppendNormalized(std::string_view s, OriginOf origin_of, std::string* out, std::vector<uint32_t>* origin) {
  size_t i = 0;
  const size_t n = s.size();
  bool pending_space = false;
  while (i < n) {
    unsigned char c = s[i];
    if (IsSpace(c)) {
      pending_space = true;
      ++i;
      continue;
    }
    // One token: [i, j) (up to whitespace).
    size_t j = i;
    while (j < n && !IsSpace(static_cast<unsigned char>(s[j]))) ++j;
    if (pending_space && !out->empty() && out->back() != '\n') {
      out->push_back(' ');
      origin->push_back(origin_of(i - 1));
    }
    pending_space = false;
    // Look-alikes are decided per word (IsWordByte); other punctuation ends
    // a word ("ok.13yo" is "ok", "." and "13yo"), so a number after a full
    // stop stays a number.
    size_t w = i;
    while (w < j) {
      size_t e = w;
      bool has_letter = false;
      while (e < j && IsWordByte(static_cast<unsigned char>(s[e]))) {
        const unsigned char d = s[e];
        if ((d | 0x20) >= 'a' && (d | 0x20) <= 'z') has_letter = true;
        ++e;
      }
      if (e == w) e = w + 1;  // one punctuation byte, a word of its own
      // A word that is a number with a unit suffix keeps its digits.
      bool keep_digits = !has_letter;
      if (has_letter) {
        size_t k = w;
        while (k < e && IsDigit(static_cast<unsigned char>(s[k]))) ++k;
        if (k > w) {
          std::string lower;
          for (size_t q = k; q < e; ++q) {
            unsigned char d = s[q];
            lower.push_back(static_cast<char>(d >= 'A' && d <= 'Z' ? d + 32 : d));
          }
          while (!lower.empty() && !IsLetter(static_cast<unsigned char>(lower.back()))) lower.pop_back();
          if (NumberSuffix(lower) || k - w > 1) keep_digits = true;
        }
      }
      for (size_t q = w; q < e; ++q) {
        unsigned char d = s[q];
        if (d >= 'A' && d <= 'Z') d = static_cast<unsigned char>(d + 32);
        if (!keep_digits) {
          if (char l = LookAlikeLetter(d)) d = static_cast<unsigned char>(l);
        }
        if (IsLetter(d)) {
          size_t len = out->size();
          if (len >= 2 && static_cast<unsigned char>((*out)[len - 1]) == d &&
              static_cast<unsigned char>((*out)[len - 2]) == d) {
            continue;  // third and later repeats
          }
        }
        out->push_back(static_cast<char>(d));
        origin->push_back(origin_of(q));
      }
      w = e;
    }
    i = j;
  }
}

}  // namespace

size_t ScanBuffer::MessageAt(size_t offset) const {
  auto it = std::upper_bound(starts.begin(), starts.end(), static_cast<uint32_t>(offset));
  return it == starts.begin() ? 0 : static_cast<size_t>(it - starts.begin() - 1);
}

void ScanBuffer::OriginalSpan(size_t from, size_t to, uint32_t* begin, uint32_t* end) const {
  if (from >= origin.size()) from = origin.empty() ? 0 : origin.size() - 1;
  if (to == 0) to = 1;
  if (to > origin.size()) to = origin.size();
  *begin = origin.empty() ? 0 : origin[from];
  *end = origin.empty() ? 0 : origin[to - 1] + 1;
  // Extend to the end of a UTF-8 sequence.
}

void BuildScanBuffer(const Conversation& conversation, ScanBuffer* out) {
  out->text.clear();
  out->origin.clear();
  out->starts.clear();
  thread_local std::string folded;
  thread_local std::vector<uint32_t> folded_origin;
  for (size_t m = 0; m < conversation.messages.size(); ++m) {
    if (m > 0) {
      out->text.push_back('\n');
      out->origin.push_back(0);
    }
    out->starts.push_back(static_cast<uint32_t>(out->text.size()));
    std::string_view t = conversation.messages[m].text;
    if (!HasNonAscii(t)) {
      AppendNormalized(t, [](size_t i) { return static_cast<uint32_t>(i); }, &out->text, &out->origin);
    } else {
      FoldUnicode(t, &folded, &folded_origin);
      AppendNormalized(folded, [&](size_t i) { return folded_origin[i]; }, &out->text, &out->origin);
    }
  }
}

std::string NormalizeForMatching(std::string_view text) {
  Conversation c;
  c.messages.emplace_back();
  c.messages.back().text = std::string(text);
  ScanBuffer b;
  BuildScanBuffer(c, &b);
  return b.text;
}

}  // namespace sg::chat
