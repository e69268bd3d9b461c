// Fuzzes the lexicon and scorecard parsers: any bytes give a value or a
// FILE:LINE error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "chat/lexicon.h"
#include "chat/score.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lex = sg::chat::ParseLexicon(text, "fuzz.tsv");
  if (lex.ok() && lex->rules.empty()) __builtin_trap();  // a loaded lexicon has rules
  auto card = sg::chat::Scorecard::Parse(text, "fuzz.tsv");
  (void)card;
  return 0;
}
