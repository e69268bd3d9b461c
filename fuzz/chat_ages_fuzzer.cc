// Fuzzes the age extractor and the matching normaliser on arbitrary message
// text: spans stay inside the message, ranges are ordered, and the
// normalised buffer's offset map points inside the original.
#include <cstddef>
#include <cstdint>
#include <string>

#include "chat/ages.h"
#include "chat/scan_buffer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (bool after : {false, true}) {
    for (const auto& m : sg::chat::FindAgeMentions(text, after)) {
      if (m.begin > m.end || m.end > text.size() || m.low > m.high) __builtin_trap();
    }
  }
  sg::chat::Conversation c;
  c.messages.emplace_back();
  c.messages.back().text = text;
  sg::chat::ScanBuffer b;
  sg::chat::BuildScanBuffer(c, &b);
  if (b.origin.size() != b.text.size() + 1 || b.origin.back() != text.size()) __builtin_trap();
  for (uint32_t o : b.origin) {
    if (o > text.size()) __builtin_trap();
  }
  return 0;
}
