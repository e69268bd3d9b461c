// Lowercase hexadecimal encoding and strict decoding of byte strings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sg {

std::string HexEncode(std::span<const uint8_t> bytes);

// Decodes exactly `expected_bytes` bytes from hex (either case); nullopt if the
// length is wrong or a character is not a hex digit.
std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex, size_t expected_bytes);

}  // namespace sg
