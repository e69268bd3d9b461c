// ScanBuffer: one conversation as a single normalised buffer for the
// indicator matcher: every message normalised (normalize.h, the one rule set)
// and the messages joined with '\n', so the whole conversation is one
// hs_scan. Keeps, for every byte of the buffer, the byte offset in its
// original message it came from, and where each message starts, so a match
// maps back to (message, original span).
// Thread safety: a value type; reuse one per thread to keep its capacity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/conversation.h"
#include "chat/normalize.h"

namespace sg::chat {

struct ScanBuffer {
  std::string text;               // normalised messages joined by '\n'
  // text.size() + 1 entries: origin[i] is the byte offset in its message of
  // text[i]; the '\n' after message m, and the last entry for the last
  // message, hold that message's size. So each message's slice plus the
  // entry after it is exactly Normalize(message).offsets.
  std::vector<uint32_t> origin;
  std::vector<uint32_t> starts;   // starts[m]: where message m begins in text
  Normalizer normalizer;          // scratch

  // The index of the message holding buffer offset `offset`.
  size_t MessageAt(size_t offset) const;
  // The span [from, to) of buffer bytes as a byte span of the original
  // message holding `from` (as NormalizedText::OriginalSpan; a span that
  // runs on into the next message is cut at its own message's end).
  void OriginalSpan(size_t from, size_t to, uint32_t* begin, uint32_t* end) const;
};

// Fills `out` (reusing its capacity) from `conversation`.
void BuildScanBuffer(const Conversation& conversation, ScanBuffer* out);

// Normalises one text on its own: Normalize(text).text (the openings'
// comparison, tests).
std::string NormalizeForMatching(std::string_view text);

}  // namespace sg::chat
