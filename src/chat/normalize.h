// Normalisation of chat text for matching, with an offset map back to the
// original, so that evidence found in the normalised text points at the
// bytes the participant wrote. The one rule set of the chat module: the
// scan buffer (scan_buffer.h) that the lexicon and the matcher read is
// built from it message by message. Rules, in order (README.md explains
// each):
//   1. invalid UTF-8 bytes read as U+FFFD (one per byte), so the output is
//      always valid UTF-8;
//   2. per code point: default-ignorable characters dropped (zero-width
//      space and joiners, U+00AD, bidi controls, variation selectors...);
//      curly apostrophes (U+2018, U+2019, U+02BC, U+2032) to '; NFKC with
//      full case folding (utf8proc), combining marks then stripped ("café"
//      -> "cafe", "ＨＩ" -> "hi", "ß" -> "ss"); Hangul jamo composed;
//   3. whitespace (Unicode White_Space) runs to one space, none at either
//      end;
//   4. look-alikes decided per word (a run of letters, digits, @ $ ' / and
//      non-ASCII; other punctuation ends a word): in a word with an ASCII
//      letter, 0 1 3 4 5 7 @ $ become o i e a s t a s ("h0w 0ld" -> "how
//      old", "pa$$" -> "pass"), unless the word starts with two or more
//      digits or with digits and a unit ("13yo", "8th", "3pm", "7x"), which
//      keep theirs; words without letters ("13", "24/7", "$100") are kept;
//   5. a letter repeated three or more times squeezed to two ("sooo" ->
//      "soo"), after the substitutions.
// The result is a fixed point: normalising it again changes nothing.
//
// Offsets: `offsets` has text.size() + 1 entries; offsets[i] is the byte
// offset in the original where the character that produced normalised byte
// i starts, and offsets[text.size()] is the original's size. So a span
// [a, b) of `text` came from about [offsets[a], offsets[b]) of the original
// (OriginalSpan gives it exactly). The map is non-decreasing and every
// entry is a character boundary of the original (an invalid byte counts as
// one character); a collapsed whitespace run maps to its first character,
// so a span that ends before a space ends where the word does.
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

  // Appends the normalised form of `original` to `text`, and to `offsets`
  // one entry per appended byte (no end entry): what Normalize does, for a
  // caller that joins several texts into one buffer (the scan buffer).
  void Append(std::string_view original, std::string& text, std::vector<uint32_t>& offsets);

 private:
  void Fold(std::string_view original);
  void SqueezeFolded();

  std::string folded_;                 // rules 1-2 applied, for non-ASCII text
  std::vector<uint32_t> folded_origin_;
};

NormalizedText Normalize(std::string_view original);

}  // namespace sg::chat
