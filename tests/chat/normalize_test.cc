// Normalisation: each rule on awkward input, the offset map, and a property
// test over random mixtures (offsets non-decreasing and on character
// boundaries of the original, output valid UTF-8, normalising twice changes
// nothing more).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "chat/normalize.h"
#include "core/utf8.h"

namespace sg::chat {
namespace {

std::string N(std::string_view s) { return Normalize(s).text; }

TEST(Normalize, CaseWhitespaceAndEnds) {
  EXPECT_EQ(N("  Hello \t\n  WORLD  "), "hello world");
  EXPECT_EQ(N(""), "");
  EXPECT_EQ(N(" \n\t "), "");
  EXPECT_EQ(N("a\xC2\xA0\xE3\x80\x80" "b"), "a b");  // no-break space, ideographic space
}

TEST(Normalize, SqueezesRepeatedLettersOnly) {
  EXPECT_EQ(N("sooooo cuuute!!!!"), "soo cuute!!!!");
  EXPECT_EQ(N("heeeyyy"), "heeyy");
  EXPECT_EQ(N("1000000"), "1000000");
  EXPECT_EQ(N("SoOoOo"), "soo");  // after case folding
}

TEST(Normalize, SubstitutesLookAlikesInsideWordsOnly) {
  EXPECT_EQ(N("h3llo c00l l33t n00b 5ch0ol"), "hello cool leet noob 5chool");
  EXPECT_EQ(N("d0nt t3ll y0ur m0m"), "dont tell your mom");
  EXPECT_EQ(N("I am 12, 15 years, 14yo im14 year7 y7 s1 b4 3pm"), "i am 12, 15 years, 14yo im14 year7 y7 s1 b4 3pm");
  EXPECT_EQ(N("@lex pa$$ $100 @@ 5$"), "alex pass $100 @@ 5$");
}

TEST(Normalize, NfkcAndCaseFolding) {
  EXPECT_EQ(N("\xEF\xBC\xA8\xEF\xBC\xA9"), "hi");                    // fullwidth ＨＩ
  EXPECT_EQ(N("\xEF\xAC\x81ne"), "fine");                            // ﬁ ligature
  EXPECT_EQ(N("Stra\xC3\x9F" "e"), "strasse");                       // ß folds to ss
  EXPECT_EQ(N("caf" "e\xCC\x81"), "caf\xC3\xA9");                    // e + combining acute -> é
  EXPECT_EQ(N("\xE2\x91\xA0\xE2\x91\xA1"), "12");                     // circled digits ①②
  EXPECT_EQ(N("\xF0\x9D\x90\x87\xF0\x9D\x90\x88"), "hi");             // mathematical bold 𝐇𝐈
  EXPECT_EQ(N("\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91"), "\xCF\x83\xCE\xBF\xCF\x86\xCE\xB9\xCE\xB1");  // ΣΟΦΙΑ
}

TEST(Normalize, DropsZeroWidthCharacters) {
  EXPECT_EQ(N("h\xE2\x80\x8B" "el\xC2\xAD" "lo w\xE2\x81\xA0or\xEF\xBB\xBFld\xE2\x80\x8D"), "hello world");
  EXPECT_EQ(N("\xE2\x80\x8E" "hi"), "hi");  // a left-to-right mark
}

TEST(Normalize, KeepsEmojiAndReplacesInvalidBytes) {
  EXPECT_EQ(N("hi \xF0\x9F\x98\x80"), "hi \xF0\x9F\x98\x80");
  EXPECT_EQ(N("a\xFF" "b\xC3"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  EXPECT_EQ(N("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate: three invalid bytes
}

TEST(Normalize, OffsetsPointAtTheOriginal) {
  // "ＨＩ  you": each fullwidth letter is 3 bytes.
  const std::string original = "\xEF\xBC\xA8\xEF\xBC\xA9  y\xE2\x80\x8Bou";
  NormalizedText n = Normalize(original);
  ASSERT_EQ(n.text, "hi you");
  EXPECT_EQ(n.offsets, (std::vector<uint32_t>{0, 3, 6, 8, 12, 13, 14}));
  // The span of "you" in the normalised text covers "y\u200Bou".
  auto [b, e] = n.OriginalSpan(3, 6);
  EXPECT_EQ(original.substr(b, e - b), "y\xE2\x80\x8Bou");
  // A span inside the expansion of one character covers that character.
  NormalizedText ss = Normalize("a\xC3\x9F" "b");
  ASSERT_EQ(ss.text, "assb");
  EXPECT_EQ(ss.OriginalSpan(1, 2), (std::pair<uint32_t, uint32_t>{1, 3}));
  EXPECT_EQ(ss.OriginalSpan(0, 4), (std::pair<uint32_t, uint32_t>{0, 4}));
  EXPECT_EQ(ss.OriginalSpan(2, 2), (std::pair<uint32_t, uint32_t>{1, 1}));
  // A composed character maps to its base letter.
  NormalizedText c = Normalize("xe\xCC\x81y");
  ASSERT_EQ(c.text, "x\xC3\xA9y");
  EXPECT_EQ(c.offsets, (std::vector<uint32_t>{0, 1, 1, 4, 5}));
}

// Character boundaries of `s`, reading an invalid byte as one character.
std::set<uint32_t> Boundaries(std::string_view s) {
  std::set<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    out.insert(static_cast<uint32_t>(i));
    const auto c = static_cast<uint8_t>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    i += (n > 1 && i + n <= s.size() && IsValidUtf8(s.substr(i, n))) ? n : 1;
  }
  out.insert(static_cast<uint32_t>(s.size()));
  return out;
}

TEST(Normalize, PropertyOffsetsAreMonotoneBoundaries) {
  const std::vector<std::string> pieces = {
      "a", "B", "o", "0", "1", "3", "4", "5", "7", "@", "$", " ", "\t", "\n", "!", "ss", "eee",
      "\xC3\xA9", "e\xCC\x81", "\xCC\x81", "\xEF\xBC\xA8", "\xEF\xAC\x81", "\xC3\x9F", "\xE2\x80\x8B",
      "\xC2\xAD", "\xEF\xBB\xBF", "\xF0\x9F\x98\x80", "\xFF", "\xC3", "\xE2\x82", "\xC2\xA8", "\xE1\x84\x80\xE1\x85\xA1",
      "\xC2\xA0", "\xE3\x80\x80", "\xD0\x9F", "\xE2\x91\xA0", "\xEF\xB7\xBA"};
  std::mt19937 rng(20261129);
  Normalizer normalizer;
  NormalizedText out, again;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int len = static_cast<int>(rng() % 24);
    for (int k = 0; k < len; ++k) s += pieces[rng() % pieces.size()];
    normalizer.Normalize(s, out);
    ASSERT_EQ(out.offsets.size(), out.text.size() + 1) << s;
    ASSERT_EQ(out.offsets.back(), s.size());
    ASSERT_TRUE(IsValidUtf8(out.text)) << s;
    const std::set<uint32_t> bounds = Boundaries(s);
    for (size_t i = 0; i < out.offsets.size(); ++i) {
      ASSERT_TRUE(bounds.count(out.offsets[i])) << "offset " << out.offsets[i] << " of byte " << i << " in " << s;
      if (i > 0) {
        ASSERT_LE(out.offsets[i - 1], out.offsets[i]) << s;
      }
    }
    // Bytes of one normalised character share one offset.
    for (size_t i = 1; i < out.text.size(); ++i) {
      if ((static_cast<uint8_t>(out.text[i]) & 0xC0) == 0x80) {
        ASSERT_EQ(out.offsets[i], out.offsets[i - 1]) << s;
      }
    }
    normalizer.Normalize(out.text, again);
    ASSERT_EQ(again.text, out.text) << s;
  }
}

// ASCII words take a fast path; a word that ends in a non-ASCII symbol
// ("€", not a letter, so it changes no substitution) takes the general path.
// Both must agree: N(w + "€") == N(w) + "€".
TEST(Normalize, FastPathAgreesWithTheGeneralPath) {
  const std::string alphabet = "aAbeLlostT0134579@$!.-_'";
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    std::string w;
    const int len = 1 + static_cast<int>(rng() % 10);
    for (int k = 0; k < len; ++k) w += alphabet[rng() % alphabet.size()];
    const std::string fast = N(w);
    EXPECT_EQ(N(w + "\xE2\x82\xAC"), fast + "\xE2\x82\xAC") << w;
    // And the offsets of the fast path are those of the general path.
    NormalizedText a = Normalize(w), b = Normalize(w + "\xE2\x82\xAC");
    ASSERT_GE(b.offsets.size(), a.offsets.size());
    EXPECT_TRUE(std::equal(a.offsets.begin(), a.offsets.end() - 1, b.offsets.begin())) << w;
  }
}

}  // namespace
}  // namespace sg::chat
