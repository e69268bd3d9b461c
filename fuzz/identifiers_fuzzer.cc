// Fuzzes identifier normalisation (linking/identifiers.h), which reads
// whatever platforms and the public put in a report. The first byte picks
// the kind (and, for screen names, the second the platform); the rest is
// the raw text. Every input must end in a value or an InvalidArgument, never
// a crash; every value must be a fixed point: its "kind:value" text parses
// back to the same identifier.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "linking/identifiers.h"

using namespace sg::linking;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  constexpr IdentifierKind kKinds[] = {IdentifierKind::kEmail,      IdentifierKind::kPhone,
                                       IdentifierKind::kScreenName, IdentifierKind::kProfileUrl,
                                       IdentifierKind::kDeviceId,   IdentifierKind::kIp,
                                       IdentifierKind::kDisplayName};
  const IdentifierKind kind = kKinds[data[0] % 7];
  const auto platforms = KnownPlatforms();
  const std::string platform = platforms[data[1] % platforms.size()];
  const std::string_view raw(reinterpret_cast<const char*>(data + 2), size - 2);
  sg::Result<std::string> value = Normalise(kind, raw, platform);
  if (!value.ok()) {
    if (value.status().code() != sg::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  const Identifier id{kind, *value};
  sg::Result<Identifier> again = ParseIdentifierText(id.Text());
  if (!again.ok() || !(*again == id)) std::abort();
  return 0;
}
