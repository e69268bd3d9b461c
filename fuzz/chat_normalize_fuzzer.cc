// Fuzzes the one normaliser (normalize.h) through both of its fronts. For
// any bytes: Normalize's output is valid UTF-8; the offset map has one
// entry per output byte plus one, ends at the input's size, never
// decreases, lands on character boundaries of the input (an invalid byte
// is one character), gives every byte of one output character the same
// offset; normalising the output again changes nothing. Split at 0x1E
// bytes into messages, the input gives through BuildScanBuffer each
// message's Normalize text and offsets, and spans that stay in the message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "chat/normalize.h"
#include "chat/scan_buffer.h"
#include "core/utf8.h"

using namespace sg::chat;

namespace {

// Whether a character of `s` starts at byte i.
bool IsBoundary(std::string_view s, size_t i) {
  if (i == s.size()) return true;
  for (size_t k = 0; k < i;) {
    const auto c = static_cast<uint8_t>(s[k]);
    const size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    k += (n > 1 && k + n <= s.size() && sg::IsValidUtf8(s.substr(k, n))) ? n : 1;
    if (k == i) return true;
    if (k > i) return false;
  }
  return i == 0;
}

void CheckOne(std::string_view in, const NormalizedText& out) {
  if (!sg::IsValidUtf8(out.text)) std::abort();
  if (out.offsets.size() != out.text.size() + 1 || out.offsets.back() != in.size()) std::abort();
  for (size_t i = 0; i < out.offsets.size(); ++i) {
    if (i > 0 && out.offsets[i] < out.offsets[i - 1]) std::abort();
    if (i > 0 && i < out.text.size() && (static_cast<uint8_t>(out.text[i]) & 0xC0) == 0x80 &&
        out.offsets[i] != out.offsets[i - 1]) {
      std::abort();
    }
    if (!IsBoundary(in, out.offsets[i])) std::abort();
  }
  if (Normalize(out.text).text != out.text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // the boundary check is quadratic
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  CheckOne(in, Normalize(in));

  Conversation c;
  for (size_t from = 0;;) {
    const size_t to = std::min(in.find('\x1E', from), in.size());
    c.messages.emplace_back();
    c.messages.back().text = std::string(in.substr(from, to - from));
    if (to == in.size()) break;
    from = to + 1;
  }
  ScanBuffer b;
  BuildScanBuffer(c, &b);
  if (b.starts.size() != c.messages.size() || b.origin.size() != b.text.size() + 1) std::abort();
  Normalizer normalizer;
  NormalizedText alone;
  for (size_t m = 0; m < c.messages.size(); ++m) {
    const std::string& text = c.messages[m].text;
    normalizer.Normalize(text, alone);
    CheckOne(text, alone);
    const size_t from = b.starts[m];
    const size_t to = m + 1 < c.messages.size() ? b.starts[m + 1] - 1 : b.text.size();
    if (to < from || std::string_view(b.text).substr(from, to - from) != alone.text) std::abort();
    for (size_t k = 0; k <= to - from; ++k) {
      if (b.origin[from + k] != alone.offsets[k]) std::abort();
    }
    uint32_t begin, end;
    b.OriginalSpan(from, b.text.size(), &begin, &end);  // runs on past the message: cut at its end
    if (begin > end || end != text.size()) std::abort();
  }
  return 0;
}
