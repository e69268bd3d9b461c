// ScanBuffer: one conversation as a single normalised buffer for the
// indicator matcher: every message normalised and the messages joined with
// '\n', so the whole conversation is one hs_scan. Keeps, for every byte of the
// buffer, the byte offset in its original message it came from, and where
// each message starts, so a match maps back to (message, original span).
//
// Normalisation for matching (a fast path fused with the join; ASCII text
// never leaves it): lower case; NFKC-compatible folding and case folding of
// non-ASCII letters (utf8proc, per code point so offsets stay exact); marks
// stripped; zero-width and other default-ignorable code points removed;
// curly apostrophes to '; whitespace runs to one space; a letter repeated 3+
// times squeezed to 2 ("sooo" -> "soo"); leet digits inside words replaced
// ("h0w 0ld" -> "how old") but not numbers ("13", "13yo", "8th" stay),
// where a word ends at whitespace or at punctuation other than an
// apostrophe or a slash ("ok.13yo" keeps its number; "what'5" is "what's").
// Thread safety: a value type; reuse one per thread to keep its capacity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/conversation.h"

namespace sg::chat {

struct ScanBuffer {
  std::string text;               // normalised messages joined by '\n'
  std::vector<uint32_t> origin;   // origin[i]: byte offset in its message of text[i]
  std::vector<uint32_t> starts;   // starts[m]: where message m begins in text

  // The index of the message holding buffer offset `offset`.
  size_t MessageAt(size_t offset) const;
  // The span [from, to) of buffer bytes as a byte span of the original message.
  void OriginalSpan(size_t from, size_t to, uint32_t* begin, uint32_t* end) const;
};

// Fills `out` (reusing its capacity) from `conversation`.
void BuildScanBuffer(const Conversation& conversation, ScanBuffer* out);

// Normalises one text on its own (tests, the exported pattern list's checks).
std::string NormalizeForMatching(std::string_view text);

}  // namespace sg::chat
