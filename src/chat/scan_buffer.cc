#include "chat/scan_buffer.h"

#include <algorithm>

namespace sg::chat {

size_t ScanBuffer::MessageAt(size_t offset) const {
  auto it = std::upper_bound(starts.begin(), starts.end(), static_cast<uint32_t>(offset));
  return it == starts.begin() ? 0 : static_cast<size_t>(it - starts.begin() - 1);
}

void ScanBuffer::OriginalSpan(size_t from, size_t to, uint32_t* begin, uint32_t* end) const {
  if (origin.empty()) {  // never built
    *begin = *end = 0;
    return;
  }
  from = std::min(from, text.size());
  const size_t m = MessageAt(from);
  const size_t stop = m + 1 < starts.size() ? starts[m + 1] - 1 : text.size();  // the '\n' or the end
  from = std::min(from, stop);
  to = std::clamp(to, from, stop);
  *begin = origin[from];
  if (to == from) {
    *end = *begin;
    return;
  }
  // To the end of the last byte's character: where the next character starts.
  const uint32_t last = origin[to - 1];
  size_t k = to;
  while (k < stop && origin[k] == last) ++k;
  *end = origin[k];
}

void BuildScanBuffer(const Conversation& conversation, ScanBuffer* out) {
  out->text.clear();
  out->origin.clear();
  out->starts.clear();
  for (size_t m = 0; m < conversation.messages.size(); ++m) {
    if (m > 0) {
      out->text.push_back('\n');
      out->origin.push_back(static_cast<uint32_t>(conversation.messages[m - 1].text.size()));
    }
    out->starts.push_back(static_cast<uint32_t>(out->text.size()));
    out->normalizer.Append(conversation.messages[m].text, out->text, out->origin);
  }
  out->origin.push_back(
      conversation.messages.empty() ? 0 : static_cast<uint32_t>(conversation.messages.back().text.size()));
}

std::string NormalizeForMatching(std::string_view text) { return Normalize(text).text; }

}  // namespace sg::chat
