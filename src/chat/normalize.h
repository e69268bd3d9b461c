// Normalisation of chat text for matching, with an offset map back to the
// original, so that evidence found in the normalised text points at the
// bytes the participant wrote. Rules, in order (README.md explains each):
//   1. invalid UTF-8 bytes read as U+FFFD (one per byte);
//   2. zero-width and invisible format characters dropped: U+00AD, U+200B..
//      U+200F, U+202A..U+202E, U+2060..U+2064, U+2066..U+2069, U+FEFF;
//   3. Unicode NFKC and full case folding (utf8proc), per combining sequence;
//   4. look-alike substitutions inside words: 0->o 1->i 3->e 4->a 5->s 7->t
//      when the run of such digits has a letter on both sides ("h3llo" ->
//      "hello", "c00l" -> "cool"), so that "12", "15 years", "14yo", "im14"
//      and "year7" keep their digits (age extraction reads them); @->a and
//      $->s beside a letter ("@lex" -> "alex", "pa$$" -> "pass");
//   5. runs of one letter squeezed to two ("sooooo" -> "soo");
//   6. whitespace runs collapsed to one space, none at either end.
//
// Offsets: `offsets` has text.size() + 1 entries; offsets[i] is the byte
// offset in the original where the character that produced normalised byte
// i starts, and offsets[text.size()] is the original's size. So a span
// [a, b) of `text` came from about [offsets[a], offsets[b]) of the original
// (OriginalSpan gives it exactly). The
// map is non-decreasing and every entry is a character boundary of the
// original (an invalid byte counts as one character).
//
// Pure functions, no I/O. Thread safety: a Normalizer holds scratch buffers
// and belongs to one thread at a time; Normalize() makes one per call.
// Inputs must be under 4 GiB (offsets are 32-bit).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sg::chat {

struct NormalizedText {
  std::string text;
  std::vector<uint32_t> offsets;  // text.size() + 1 entries

  // The original byte span of normalised bytes [begin, end): from where the
  // first one's character starts to where the last one's character ends (so
  // a span that ends inside the expansion of one original character, the
  // first "s" of "ß" -> "ss", still covers that character).
  std::pair<uint32_t, uint32_t> OriginalSpan(size_t begin, size_t end) const {
    const uint32_t from = offsets[begin];
    if (end <= begin) return {from, from};
    const uint32_t last = offsets[end - 1];
    size_t k = end;
    while (k + 1 < offsets.size() && offsets[k] == last) ++k;
    return {from, offsets[k]};
  }
};

class Normalizer {
 public:
  // Replaces `out` with the normalised form of `original` (reusing its
  // capacity: normalise message after message into one NormalizedText).
  void Normalize(std::string_view original, NormalizedText& out);

 private:
  struct Char {
    int32_t cp;
    uint32_t offset;
  };
  void FlushToken(NormalizedText& out);
  void Space(uint32_t at, NormalizedText& out);
  void EmitAsciiWord(std::string_view original, size_t begin, size_t end, bool look_alikes, NormalizedText& out);
  void NormalizeSegment(uint32_t start, uint32_t end, std::string_view original, NormalizedText& out);

  std::vector<Char> token_;        // the current word, after NFKC and case folding
  std::vector<int32_t> segment_;   // decode/compose scratch
  std::string segment_bytes_;
  std::string word_;               // the ASCII fast path's word, lower-cased
  bool pending_space_ = false;
  uint32_t space_offset_ = 0;
};

NormalizedText Normalize(std::string_view original);

}  // namespace sg::chat
