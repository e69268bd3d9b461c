// Differential test: the scan buffer the matcher reads (BuildScanBuffer,
// messages joined into one buffer with one reused scratch) and Normalizer
// (one text at a time) must give the same text and the same offsets for
// every message, and the same original spans, whatever the messages hold:
// ASCII, look-alikes, numbers, marks, zero-width and format characters,
// curly quotes, wide and compatibility forms, Unicode spaces, invalid bytes.
// Nothing may leak from one message into the next (a space, a squeezed
// letter, a look-alike decision, folding scratch).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "chat/normalize.h"
#include "chat/scan_buffer.h"

namespace sg::chat {
namespace {

// Pieces of generated messages, by kind, so every message mixes kinds.
const std::vector<std::vector<std::string>>& Pieces() {
  static const std::vector<std::vector<std::string>> kinds = {
      {"how", "old", "r", "u", "SCHOOL", "Secret", "dont", "tell", "snap", "meet", "ok", "x", "yo", "th", "pm"},
      {"0", "1", "3", "4", "5", "7", "8", "13", "@", "$", "h0w", "0ld", "c00l", "pa$$", "13yo", "24/7", "7x"},
      {" ", "  ", "\t", "\n", "\r\n", ".", ",", "!", "?", "'", "/", "-", ":)"},
      {"\u0301", "\u0308", "e\u0301", "\u00E9", "\u00C9", "\u00EF", "\u20E3", "\u0336"},
      {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u200E", "\u202E", "\uFE0F", "\u180E"},
      {"\u2019", "\u2018", "\u02BC", "\u2032", "\u2034", "\u201C", "\u201D"},
      {"\xFF", "\xC3", "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF", "\x80", "\uFFFD"},
      {"\uFF28", "\uFF49", "\uFB01", "\u00DF", "\u2460", "\u33A1", "\u0130", "\u03A3", "\u041F", "\uFDFA"},
      {"\u00A0", "\u3000", "\u2028", "\u0085", "\u202F", "\u00A8"},
      {"\U0001F600", "\u2764", "\uAC00", "\u3131", "\u314F", "\u1100", "\u1161", "\u11A8"},
      {"sss", "ooo", "eee", "!!!", "\u00E9\u00E9\u00E9", "\u03C3\u03C3\u03C3"},
  };
  return kinds;
}

std::string Message(std::mt19937& rng) {
  const auto& kinds = Pieces();
  std::string s;
  const int len = static_cast<int>(rng() % 16);
  for (int k = 0; k < len; ++k) {
    const auto& kind = kinds[rng() % kinds.size()];
    s += kind[rng() % kind.size()];
  }
  return s;
}

TEST(NormalizeDifferential, ScanBufferEqualsNormalizerPerMessage) {
  std::mt19937 rng(61729);
  ScanBuffer buffer;  // reused, as the analysis reuses one per thread
  Normalizer normalizer;
  NormalizedText alone;
  size_t compared = 0;
  for (int round = 0; round < 4000; ++round) {
    Conversation c;
    const int messages = 1 + static_cast<int>(rng() % 6);
    for (int m = 0; m < messages; ++m) {
      c.messages.emplace_back();
      c.messages.back().text = Message(rng);
    }
    BuildScanBuffer(c, &buffer);
    ASSERT_EQ(buffer.starts.size(), c.messages.size());
    ASSERT_EQ(buffer.origin.size(), buffer.text.size() + 1);
    for (size_t m = 0; m < c.messages.size(); ++m) {
      const std::string& original = c.messages[m].text;
      normalizer.Normalize(original, alone);
      const size_t from = buffer.starts[m];
      const size_t to = m + 1 < c.messages.size() ? buffer.starts[m + 1] - 1 : buffer.text.size();
      ASSERT_LE(from, to);
      ASSERT_EQ(buffer.text.substr(from, to - from), alone.text) << "message " << m << ": " << original;
      ASSERT_EQ(std::vector<uint32_t>(buffer.origin.begin() + from, buffer.origin.begin() + to + 1), alone.offsets)
          << "message " << m << ": " << original;
      if (to < buffer.text.size()) {
        ASSERT_EQ(buffer.text[to], '\n');
      }
      ASSERT_EQ(NormalizeForMatching(original), alone.text);
      // Original spans agree for a few spans of the message, including
      // spans that end inside one character's expansion.
      for (int k = 0; k < 4 && !alone.text.empty(); ++k) {
        const size_t a = rng() % (alone.text.size() + 1);
        const size_t b = a + rng() % (alone.text.size() + 1 - a);
        uint32_t begin, end;
        buffer.OriginalSpan(from + a, from + b, &begin, &end);
        const auto want = alone.OriginalSpan(a, b);
        ASSERT_EQ(begin, want.first) << original << " [" << a << ", " << b << ")";
        ASSERT_EQ(end, want.second) << original << " [" << a << ", " << b << ")";
        ASSERT_EQ(buffer.MessageAt(from + a), m);
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 10000u);
}

// A span that runs over a message's end (a pattern matching the '\n') is
// cut at its own message's end.
TEST(NormalizeDifferential, SpanOverTheSeparatorStopsAtTheMessage) {
  Conversation c;
  c.messages.resize(2);
  c.messages[0].text = "keep it \u201Csecret\u201D";
  c.messages[1].text = "ok";
  ScanBuffer b;
  BuildScanBuffer(c, &b);
  ASSERT_EQ(b.text, "keep it \u201Csecret\u201D\nok");
  uint32_t begin, end;
  b.OriginalSpan(b.text.find("secret"), b.text.size(), &begin, &end);
  EXPECT_EQ(c.messages[0].text.substr(begin, end - begin), "secret\u201D");
}

}  // namespace
}  // namespace sg::chat
