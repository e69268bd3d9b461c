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

// Line by line through text in memory (data files read whole): sets `line`
// to the next line, without its "\n" or "\r\n", and advances `*pos`;
// false at the end. A final line without "\n" counts.
bool NextLine(std::string_view text, size_t* pos, std::string_view* line);

}  // namespace sg
