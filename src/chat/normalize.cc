#include "chat/normalize.h"

#include <utf8proc.h>

#include "chat/look_alikes.h"

namespace sg::chat {
namespace {

constexpr int32_t kReplacement = 0xFFFD;
constexpr utf8proc_option_t kNfkcCasefold = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);

// The code point at s[i] and its length; an invalid byte is U+FFFD of length 1
// (the same reading as core/utf8.h ToValidUtf8).
inline size_t Decode(std::string_view s, size_t i, int32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
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

// Zero-width and invisible format characters: dropped.
inline bool IsInvisible(int32_t cp) {
  return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

// Unicode White_Space.
inline bool IsSpace(int32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Whether `cp` belongs to the combining sequence before it (so NFKC must see
// both together): combining marks, and Hangul vowel and final jamo.
inline bool Continues(int32_t cp) {
  if (cp < 0x300) return false;
  if (cp >= 0x1160 && cp <= 0x11FF) return true;
  const utf8proc_property_t* p = utf8proc_get_property(cp);
  return p->combining_class != 0 || p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC ||
         p->category == UTF8PROC_CATEGORY_ME;
}

inline bool IsLetter(int32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  const auto cat = utf8proc_get_property(cp)->category;
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

// ASCII byte classes for the fast path.
enum : uint8_t { kWordByte = 0, kLookAlikeByte = 1, kSpaceByte = 2, kNonAsciiByte = 3 };
struct ByteClasses {
  uint8_t cls[256];
  char lower[128];
  constexpr ByteClasses() : cls(), lower() {
    for (int b = 0; b < 256; ++b) {
      cls[b] = b >= 0x80                                    ? kNonAsciiByte
               : LookAlikeLetter(b) != 0                     ? kLookAlikeByte
               : (b == ' ' || (b >= '\t' && b <= '\r'))      ? kSpaceByte
                                                             : kWordByte;
      if (b < 128) lower[b] = static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
    }
  }
};
constexpr ByteClasses kBytes;

inline void Encode(int32_t cp, uint32_t offset, NormalizedText& out) {
  if (cp < 0x80) {
    out.text.push_back(static_cast<char>(cp));
    out.offsets.push_back(offset);
    return;
  }
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(cp, buf);
  out.text.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  out.offsets.insert(out.offsets.end(), static_cast<size_t>(n), offset);
}

}  // namespace

void Normalizer::FlushToken(NormalizedText& out) {
  if (token_.empty()) return;
  if (pending_space_) {
    Encode(' ', space_offset_, out);
    pending_space_ = false;
  }
  const size_t n = token_.size();
  // Substitutions: runs of @ and $ first (a run beside a letter), then runs
  // of look-alike digits (a letter on both sides). In this order the result
  // is a fixed point: normalising it again substitutes nothing more.
  const auto is_symbol = [](int32_t cp) { return cp == '@' || cp == '$'; };
  const auto is_digit = [](int32_t cp) { return IsLookAlikeDigit(cp); };
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t k = 0; k < n;) {
      const bool symbols = pass == 0;
      if (!(symbols ? is_symbol(token_[k].cp) : is_digit(token_[k].cp))) {
        ++k;
        continue;
      }
      size_t e = k;
      while (e < n && (symbols ? is_symbol(token_[e].cp) : is_digit(token_[e].cp))) ++e;
      const bool left = k > 0 && IsLetter(token_[k - 1].cp);
      const bool right = e < n && IsLetter(token_[e].cp);
      // Not before a combining mark: "a" + U+0301 would need composing again.
      const bool before_mark = e < n && Continues(token_[e].cp);
      if (symbols ? (left || right) && !before_mark : left && right) {
        for (size_t j = k; j < e; ++j) {
          token_[j].cp = LookAlikeLetter(token_[j].cp);
        }
      }
      k = e;
    }
  }
  // Squeezing, then output.
  size_t w = 0;
  for (size_t k = 0; k < n; ++k) {
    const int32_t cp = token_[k].cp;
    if (w >= 2 && token_[w - 1].cp == cp && token_[w - 2].cp == cp && IsLetter(cp)) continue;
    token_[w++] = token_[k];
  }
  for (size_t k = 0; k < w; ++k) Encode(token_[k].cp, token_[k].offset, out);
  token_.clear();
}

void Normalizer::EmitAsciiWord(std::string_view original, size_t begin, size_t end, bool look_alikes,
                               NormalizedText& out) {
  if (pending_space_) {
    Encode(' ', space_offset_, out);
    pending_space_ = false;
  }
  const size_t len = end - begin;
  word_.resize(len);
  for (size_t k = 0; k < len; ++k) word_[k] = kBytes.lower[static_cast<uint8_t>(original[begin + k])];
  if (look_alikes) {
    // The rules of FlushToken, on bytes: @/$ runs beside a letter, then
    // digit runs between letters.
    const auto letter = [&](size_t k) { return word_[k] >= 'a' && word_[k] <= 'z'; };
    for (int pass = 0; pass < 2; ++pass) {
      const bool symbols = pass == 0;
      const auto member = [&](size_t k) {
        return symbols ? word_[k] == '@' || word_[k] == '$' : IsLookAlikeDigit(word_[k]);
      };
      for (size_t k = 0; k < len;) {
        if (!member(k)) {
          ++k;
          continue;
        }
        size_t e = k;
        while (e < len && member(e)) ++e;
        const bool left = k > 0 && letter(k - 1);
        const bool right = e < len && letter(e);
        if (symbols ? left || right : left && right) {
          for (size_t j = k; j < e; ++j) {
            word_[j] = LookAlikeLetter(word_[j]);
          }
        }
        k = e;
      }
    }
  }
  const size_t base = out.text.size();
  out.text.resize(base + len);
  out.offsets.resize(base + len);
  char* t = out.text.data() + base;
  uint32_t* o = out.offsets.data() + base;
  size_t w = 0;
  for (size_t k = begin; k < end; ++k) {
    const char ch = word_[k - begin];
    if (w >= 2 && t[w - 1] == ch && t[w - 2] == ch && ch >= 'a' && ch <= 'z') continue;
    t[w] = ch;
    o[w] = static_cast<uint32_t>(k);
    ++w;
  }
  out.text.resize(base + w);
  out.offsets.resize(base + w);
}

void Normalizer::Space(uint32_t at, NormalizedText& out) {
  FlushToken(out);
  if (!out.text.empty() && !pending_space_) {
    pending_space_ = true;
    space_offset_ = at;
  }
}

void Normalizer::NormalizeSegment(uint32_t start, uint32_t end, std::string_view original, NormalizedText& out) {
  segment_bytes_.clear();
  for (size_t i = start; i < end;) {
    int32_t cp;
    const size_t len = Decode(original, i, &cp);
    if (!IsInvisible(cp)) segment_bytes_.append(original.substr(i, len));
    i += len;
  }
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(segment_bytes_.data());
  const auto len = static_cast<utf8proc_ssize_t>(segment_bytes_.size());
  if (segment_.size() < 64) segment_.resize(64);
  utf8proc_ssize_t count = utf8proc_decompose(bytes, len, segment_.data(), static_cast<utf8proc_ssize_t>(segment_.size()), kNfkcCasefold);
  if (count > static_cast<utf8proc_ssize_t>(segment_.size())) {
    segment_.resize(static_cast<size_t>(count));
    count = utf8proc_decompose(bytes, len, segment_.data(), count, kNfkcCasefold);
  }
  if (count < 0) {  // not reached: the segment is valid UTF-8
    token_.push_back({kReplacement, start});
    return;
  }
  count = utf8proc_normalize_utf32(segment_.data(), count, kNfkcCasefold);
  for (utf8proc_ssize_t k = 0; k < count; ++k) {
    const int32_t cp = segment_[static_cast<size_t>(k)];
    if (IsSpace(cp)) {  // NFKC turns a few characters into spaces (U+00A8 -> " \u0308")
      Space(start, out);
      continue;
    }
    token_.push_back({cp, start});
  }
}

void Normalizer::Normalize(std::string_view original, NormalizedText& out) {
  out.text.clear();
  out.offsets.clear();
  out.text.reserve(original.size());
  out.offsets.reserve(original.size() + 1);
  token_.clear();
  pending_space_ = false;
  const size_t n = original.size();
  size_t i = 0;
  while (i < n) {
    const auto c = static_cast<uint8_t>(original[i]);
    if (token_.empty() && c < 0x80 && !IsSpace(c)) {
      // Fast path: a whole word of ASCII without look-alikes, ending at ASCII
      // whitespace or the end. Only case folding and squeezing apply.
      size_t j = i;
      uint8_t seen = 0;
      while (j < n) {
        const uint8_t cls = kBytes.cls[static_cast<uint8_t>(original[j])];
        if (cls > kLookAlikeByte) break;
        seen |= cls;
        ++j;
      }
      if (j == n || kBytes.cls[static_cast<uint8_t>(original[j])] == kSpaceByte) {
        EmitAsciiWord(original, i, j, (seen & kLookAlikeByte) != 0, out);
        i = j;
        continue;
      }
    }
    if (c < 0x80 && (i + 1 >= n || static_cast<uint8_t>(original[i + 1]) < 0x80)) {
      // ASCII followed by ASCII: NFKC is the identity, case folding is tolower.
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        Space(static_cast<uint32_t>(i), out);
      } else {
        token_.push_back({(c >= 'A' && c <= 'Z') ? c + 32 : c, static_cast<uint32_t>(i)});
      }
      ++i;
      continue;
    }
    int32_t cp;
    const size_t len = Decode(original, i, &cp);
    if (IsInvisible(cp)) {
      i += len;
      continue;
    }
    if (IsSpace(cp)) {
      Space(static_cast<uint32_t>(i), out);
      i += len;
      continue;
    }
    if (cp == kReplacement && len == 1) {  // an invalid byte
      token_.push_back({kReplacement, static_cast<uint32_t>(i)});
      ++i;
      continue;
    }
    // The combining sequence that starts here (invisible characters inside
    // it are dropped, so that they cannot keep a mark from its letter).
    size_t end = i + len;
    bool single = true;
    while (end < n) {
      int32_t next;
      const size_t next_len = Decode(original, end, &next);
      if (!Continues(next) && !IsInvisible(next)) break;
      end += next_len;
      single = false;
    }
    if (single && cp < 0x80) {
      token_.push_back({(cp >= 'A' && cp <= 'Z') ? cp + 32 : cp, static_cast<uint32_t>(i)});
    } else {
      NormalizeSegment(static_cast<uint32_t>(i), static_cast<uint32_t>(end), original, out);
    }
    i = end;
  }
  FlushToken(out);
  out.offsets.push_back(static_cast<uint32_t>(n));
}

NormalizedText Normalize(std::string_view original) {
  Normalizer n;
  NormalizedText out;
  n.Normalize(original, out);
  return out;
}

}  // namespace sg::chat
