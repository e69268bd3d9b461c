// The look-alike characters of chat text and the letters they stand for,
// read by the normaliser (normalize.h, which decides when they apply).
#pragma once

#include <cstdint>

namespace sg::chat {

// The letter `cp` stands for ("h0w" -> "how", "@lex" -> "alex", "pa$$" ->
// "pass"), or 0 if it is no look-alike.
constexpr char LookAlikeLetter(int32_t cp) {
  switch (cp) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '@': return 'a';
    case '$': return 's';
    default: return 0;
  }
}

}  // namespace sg::chat
