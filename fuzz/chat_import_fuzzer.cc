// Fuzzes the chat importers. The first byte picks the format (pan12, jsonl,
// csv, whatsapp), the rest is the file. Every input must end in
// conversations or a "NAME:LINE: reason" error, never a crash or a hang;
// every yielded conversation has an id and at least one message, its text
// is valid UTF-8 without NUL bytes, lines never go backwards within a
// conversation, and an error repeats once reached.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "chat/import/reader.h"
#include "core/utf8.h"

using namespace sg::chat;

namespace {

void CheckText(const std::string& s) {
  if (!sg::IsValidUtf8(s) || s.find('\0') != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* kFormats[] = {"pan12", "jsonl", "csv", "whatsapp"};
  static constexpr const char* kNames[] = {"f.xml", "f.jsonl", "f.csv", "f.txt"};
  const int f = data[0] % 4;
  std::string content(reinterpret_cast<const char*>(data + 1), size - 1);
  auto reader = OpenReaderFromString(kNames[f], std::move(content), kFormats[f]);
  if (!reader.ok()) std::abort();  // the format is given: opening cannot fail
  Conversation c;
  while (true) {
    auto more = (*reader)->Next(c);
    if (!more.ok()) {
      const std::string& m = more.status().message();
      const std::string prefix = std::string(kNames[f]) + ":";
      if (m.rfind(prefix, 0) != 0) std::abort();
      size_t i = prefix.size();
      if (i >= m.size() || m[i] < '1' || m[i] > '9') std::abort();  // a line number from 1
      auto again = (*reader)->Next(c);
      if (again.ok() || again.status().message() != m) std::abort();
      return 0;
    }
    if (!*more) break;
    if (c.id.empty() || c.messages.empty()) std::abort();
    CheckText(c.id);
    uint64_t last = 0;
    for (const Message& m : c.messages) {
      CheckText(m.author);
      CheckText(m.text);
      if (m.line == 0 || m.line < last) std::abort();
      if (m.minute_of_day && (*m.minute_of_day < 0 || *m.minute_of_day >= 24 * 60)) std::abort();
      last = m.line;
    }
  }
  auto after = (*reader)->Next(c);
  if (!after.ok() || *after) std::abort();
  return 0;
}
