// Fuzzes Normalize. For any bytes: the output is valid UTF-8; the offset map
// has one entry per output byte plus one, ends at the input's size, never
// decreases, lands on character boundaries of the input (an invalid byte
// is one character), gives every byte of one output character the same
// offset; and normalising the output again changes nothing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chat/normalize.h"
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // the boundary check is quadratic
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  NormalizedText out = Normalize(in);
  if (!sg::IsValidUtf8(out.text)) std::abort();
  if (out.offsets.size() != out.text.size() + 1 || out.offsets.back() != size) std::abort();
  for (size_t i = 0; i < out.offsets.size(); ++i) {
    if (i > 0 && out.offsets[i] < out.offsets[i - 1]) std::abort();
    if (i > 0 && i < out.text.size() && (static_cast<uint8_t>(out.text[i]) & 0xC0) == 0x80 &&
        out.offsets[i] != out.offsets[i - 1]) {
      std::abort();
    }
    if (!IsBoundary(in, out.offsets[i])) std::abort();
  }
  if (Normalize(out.text).text != out.text) std::abort();
  return 0;
}
