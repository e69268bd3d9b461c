// Small ASCII text helpers for parsers of hash lists and command lines:
// whitespace trimming and case folding of identifiers (hex digits, header
// names, type words). Not for natural-language text: no Unicode rules.
#pragma once

#include <string>
#include <string_view>

namespace sg {

// `s` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string_view TrimAscii(std::string_view s);
std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);

}  // namespace sg
