#include "chat/normalize.h"

#include <utf8proc.h>

#include "chat/look_alikes.h"

namespace sg::chat {
namespace {

constexpr int32_t kReplacement = 0xFFFD;
// Per code point: compatibility decomposition, case folding, marks and
// default-ignorable characters dropped. Composition is not needed after
// that except for Hangul, which Fold does itself.
constexpr utf8proc_option_t kFold = static_cast<utf8proc_option_t>(
    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

// The code point at s[i] and its length; an invalid byte is U+FFFD of length 1
// (the same reading as core/utf8.h ToValidUtf8).
inline size_t Decode(std::string_view s, size_t i, int32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  size_t n;
  int32_t v;
  if ((c & 0xE0) == 0xC0) n = 2, v = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 3, v = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 4, v = c & 0x07;
  else return *cp = kReplacement, 1;
  if (i + n > s.size()) return *cp = kReplacement, 1;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return *cp = kReplacement, 1;
    v = v << 6 | (b(i + k) & 0x3F);
  }
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMin[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return *cp = kReplacement, 1;
  *cp = v;
  return n;
}

// Apostrophe look-alikes that chat keyboards insert ("don’t").
inline bool IsApostrophe(int32_t cp) { return cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x2032; }

// White_Space characters that NFKC does not already turn into U+0020.
inline bool IsOtherSpace(int32_t cp) { return cp == 0x85 || cp == 0x1680 || cp == 0x2028 || cp == 0x2029; }

inline bool IsLetter(int32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  const auto cat = utf8proc_get_property(cp)->category;
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

// Hangul: NFKC composes leading + vowel jamo, and that + trailing jamo.
constexpr int32_t kSyllables = 0xAC00, kSyllablesEnd = 0xD7A4;
inline bool IsLeadJamo(int32_t cp) { return cp >= 0x1100 && cp <= 0x1112; }
inline bool IsVowelJamo(int32_t cp) { return cp >= 0x1161 && cp <= 0x1175; }
inline bool IsTrailJamo(int32_t cp) { return cp >= 0x11A8 && cp <= 0x11C2; }
inline bool IsLvSyllable(int32_t cp) { return cp >= kSyllables && cp < kSyllablesEnd && (cp - kSyllables) % 28 == 0; }

inline bool IsAsciiLetter(uint8_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }
inline bool IsSpace(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline uint8_t Lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c + 32) : c; }
// Bytes that belong to a word for the look-alike rule: letters, digits,
// '@', '$', the apostrophe of a contraction ("what'5" is "what's"), the
// slash of an abbreviation ("4/5/l" is "a/s/l") and non-ASCII bytes.
inline bool IsWordByte(uint8_t c) {
  return IsAsciiLetter(c) || IsDigit(c) || c == '@' || c == '$' || c == '\'' || c == '/' || c >= 0x80;
}

// Units after a number that keep it a number: "13yo", "8th", "5pm", "13f",
// "3x" (a count: "3x a week").
bool IsUnit(std::string_view s) {
  static constexpr std::string_view kUnits[] = {"st", "nd", "rd", "th", "yo", "yrs", "yr", "y", "am", "pm",
                                                "f",  "m",  "k",  "s",  "mins", "min", "h", "hrs", "x"};
  for (auto u : kUnits) {
    if (s == u) return true;
  }
  return false;
}

// Whether a word with a letter keeps its digits: it starts with a number of
// two or more digits, or of one digit and a unit ("8th", but "0ld" is "old").
bool KeepsDigits(std::string_view word) {
  size_t k = 0;
  while (k < word.size() && IsDigit(static_cast<uint8_t>(word[k]))) ++k;
  if (k != 1) return k > 1;
  size_t e = word.size();  // trailing non-letters do not count ("8th!" is "8th")
  while (e > k && !IsAsciiLetter(static_cast<uint8_t>(word[e - 1]))) --e;
  char unit[4];
  if (e - k > sizeof unit) return false;
  for (size_t q = k; q < e; ++q) unit[q - k] = static_cast<char>(Lower(static_cast<uint8_t>(word[q])));
  return IsUnit(std::string_view(unit, e - k));
}

// Rules 3-5 (whitespace, look-alikes, squeezing) over `s`, which is ASCII or
// already folded; origin_of(i) is the original offset of s[i].
template <typename OriginOf>
void AppendWords(std::string_view s, OriginOf origin_of, std::string& out, std::vector<uint32_t>& origin) {
  const size_t base = out.size();
  const size_t n = s.size();
  bool pending_space = false;
  size_t space_at = 0;  // where the whitespace run starts, so a span ends before it
  size_t i = 0;
  while (i < n) {
    if (IsSpace(static_cast<uint8_t>(s[i]))) {
      if (!pending_space) space_at = i;
      pending_space = true;
      ++i;
      continue;
    }
    // One token: [i, j), up to whitespace.
    size_t j = i;
    while (j < n && !IsSpace(static_cast<uint8_t>(s[j]))) ++j;
    if (pending_space && out.size() > base) {
      out.push_back(' ');
      origin.push_back(origin_of(space_at));
    }
    pending_space = false;
    // Look-alikes are decided per word; other punctuation ends a word
    // ("ok.13yo" is "ok", "." and "13yo"), so a number after a full stop
    // stays a number.
    for (size_t w = i; w < j;) {
      size_t e = w;
      bool has_letter = false;
      while (e < j && IsWordByte(static_cast<uint8_t>(s[e]))) {
        has_letter |= IsAsciiLetter(static_cast<uint8_t>(s[e]));
        ++e;
      }
      if (e == w) e = w + 1;  // one punctuation byte, a word of its own
      const bool substitute = has_letter && !KeepsDigits(s.substr(w, e - w));
      for (size_t q = w; q < e; ++q) {
        uint8_t d = Lower(static_cast<uint8_t>(s[q]));
        if (substitute) {
          if (const char l = LookAlikeLetter(d)) d = static_cast<uint8_t>(l);
        }
        const size_t len = out.size();
        if (d >= 'a' && d <= 'z' && len >= base + 2 && static_cast<uint8_t>(out[len - 1]) == d &&
            static_cast<uint8_t>(out[len - 2]) == d) {
          continue;  // third and later repeats
        }
        out.push_back(static_cast<char>(d));
        origin.push_back(origin_of(q));
      }
      w = e;
    }
    i = j;
  }
}

bool HasNonAscii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<uint8_t>(c) >= 0x80) return true;
  }
  return false;
}

}  // namespace

// Rules 1-2 into folded_, one code point at a time so that every output
// byte keeps the offset of the character it came from; then the squeezing
// of non-ASCII letters (AppendWords squeezes ASCII ones after the
// look-alikes), once Hangul is composed.
void Normalizer::Fold(std::string_view in) {
  folded_.clear();
  folded_origin_.clear();
  int32_t last = -1;   // the last code point written, for Hangul
  size_t last_at = 0;  // where it starts in folded_
  const auto put = [&](int32_t cp, uint32_t at) {
    if (last >= 0 && ((IsLeadJamo(last) && IsVowelJamo(cp)) || (IsLvSyllable(last) && IsTrailJamo(cp)))) {
      last = IsVowelJamo(cp) ? kSyllables + ((last - 0x1100) * 21 + (cp - 0x1161)) * 28 : last + (cp - 0x11A7);
      utf8proc_uint8_t buf[4];
      const auto len = static_cast<size_t>(utf8proc_encode_char(last, buf));
      folded_.replace(last_at, std::string::npos, reinterpret_cast<const char*>(buf), len);
      folded_origin_.resize(last_at + len, folded_origin_[last_at]);
      return;
    }
    last = cp;
    last_at = folded_.size();
    if (cp < 0x80) {
      folded_.push_back(static_cast<char>(cp));
      folded_origin_.push_back(at);
      return;
    }
    utf8proc_uint8_t buf[4];
    const auto len = static_cast<size_t>(utf8proc_encode_char(cp, buf));
    folded_.append(reinterpret_cast<const char*>(buf), len);
    folded_origin_.insert(folded_origin_.end(), len, at);
  };
  bool repeats = false;  // non-ASCII code points were written: squeeze below
  for (size_t i = 0; i < in.size();) {
    const auto at = static_cast<uint32_t>(i);
    const auto c = static_cast<uint8_t>(in[i]);
    if (c < 0x80) {
      put(Lower(c), at);
      ++i;
      continue;
    }
    int32_t cp;
    i += Decode(in, i, &cp);
    if (cp == kReplacement) {
      put(cp, at);
    } else if (cp >= kSyllables && cp < kSyllablesEnd) {
      put(cp, at);  // NFKC keeps a syllable whole; it has no case
      repeats = true;
    } else {
      // The longest NFKC expansion is 18 code points (U+FDFA).
      utf8proc_int32_t buf[32];
      int bound = 0;
      utf8proc_ssize_t m = utf8proc_decompose_char(cp, buf, 32, kFold, &bound);
      if (m < 0 || m > 32) buf[0] = cp, m = 1;  // not reached: cp is valid
      for (utf8proc_ssize_t k = 0; k < m; ++k) {
        // After decomposing: U+2034 (triple prime) is three U+2032.
        const int32_t q = buf[k];
        put(IsApostrophe(q) ? '\'' : IsOtherSpace(q) ? ' ' : q, at);
      }
      repeats |= m > 0 && last >= 0x80;
    }
  }
  if (repeats) SqueezeFolded();
}

void Normalizer::SqueezeFolded() {
  int32_t last = -1, before_last = -1;
  size_t w = 0;
  for (size_t r = 0; r < folded_.size();) {
    int32_t cp = static_cast<uint8_t>(folded_[r]);
    const size_t len = cp < 0x80 ? 1 : Decode(folded_, r, &cp);
    const bool drop = cp >= 0x80 && cp == last && cp == before_last && IsLetter(cp);
    before_last = last;
    last = cp;
    if (!drop) {
      for (size_t k = 0; k < len; ++k) {
        folded_[w + k] = folded_[r + k];
        folded_origin_[w + k] = folded_origin_[r + k];
      }
      w += len;
    }
    r += len;
  }
  folded_.resize(w);
  folded_origin_.resize(w);
}

void Normalizer::Append(std::string_view original, std::string& text, std::vector<uint32_t>& offsets) {
  if (!HasNonAscii(original)) {
    AppendWords(original, [](size_t i) { return static_cast<uint32_t>(i); }, text, offsets);
    return;
  }
  Fold(original);
  AppendWords(folded_, [this](size_t i) { return folded_origin_[i]; }, text, offsets);
}

void Normalizer::Normalize(std::string_view original, NormalizedText& out) {
  out.text.clear();
  out.offsets.clear();
  Append(original, out.text, out.offsets);
  out.offsets.push_back(static_cast<uint32_t>(original.size()));
}

NormalizedText Normalize(std::string_view original) {
  Normalizer n;
  NormalizedText out;
  n.Normalize(original, out);
  return out;
}

}  // namespace sg::chat
