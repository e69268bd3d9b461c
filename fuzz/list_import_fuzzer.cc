// Fuzzes the hash-list readers: the first byte picks the format, the rest is
// the file. Every input must end in entries or a "NAME:LINE: reason" error,
// never a crash, a hang or an entry without a hash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "matching/list_reader.h"

using namespace sg::matching;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr ListFormat kFormats[] = {ListFormat::kVics, ListFormat::kCsv, ListFormat::kTe, ListFormat::kHex,
                                            ListFormat::kMd5, ListFormat::kSha1, ListFormat::kSha256};
  const ListFormat format = kFormats[data[0] % 7];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto source = LineSource::FromString("fuzz", std::move(text));
  sg::Status s = ReadList(format, *source, [](ListEntry&& e, int64_t line) -> sg::Status {
    if (!e.has_hash() || line < 1) std::abort();
    for (Scheme scheme : {Scheme::kUk, Scheme::kIndustry, Scheme::kVics, Scheme::kNone}) {
      (void)NormalizeCategory(scheme, e.category.value_or(""));
    }
    if (EntryKey(e).size() != 32) std::abort();
    return sg::Status::Ok();
  });
  if (!s.ok() && s.message().rfind("fuzz:", 0) != 0) std::abort();
  return 0;
}
