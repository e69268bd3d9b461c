// Normalisation (normalize.h, the one rule set): a table of awkward
// real-world forms for each rule, the offset map on each kind of change,
// and a property test over random mixtures (offsets non-decreasing and on
// character boundaries of the original, output valid UTF-8, normalising
// twice changes nothing more). normalize_differential_test.cc holds the
// scan buffer to the same output.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <tuple>

#include "chat/normalize.h"
#include "core/utf8.h"

namespace sg::chat {
namespace {

std::string N(std::string_view s) { return Normalize(s).text; }

struct Case {
  const char* in;
  const char* want;
};

void ExpectAll(std::initializer_list<Case> cases) {
  for (const Case& c : cases) EXPECT_EQ(N(c.in), c.want) << "input: " << c.in;
}

TEST(Normalize, CaseAndWhitespace) {
  ExpectAll({
      {"  Hello \t\n  WORLD  ", "hello world"},
      {"", ""},
      {" \n\t ", ""},
      {"a\u00A0b\u3000c\u2003d", "a b c d"},  // no-break, ideographic, em spaces
      {"a\u2028b\u2029c\u0085d", "a b c d"},  // line and paragraph separators, NEL
      {"a \u00A0 \u202F b", "a b"},           // one run of mixed spaces
  });
}

TEST(Normalize, NfkcAndCaseFolding) {
  ExpectAll({
      {"\uFF28\uFF29 \uFF54\uFF48\uFF45\uFF52\uFF45", "hi there"},  // fullwidth
      {"\uFB01ne", "fine"},                                       // ﬁ ligature
      {"Stra\u00DFe STRASSE", "strasse strasse"},                 // ß folds to ss
      {"\U0001D407\U0001D408", "hi"},                              // mathematical bold
      {"\u2460\u2461", "12"},                                      // circled digits
      {"\u33A1", "m2"},                                           // ㎡
      {"\u03A3\u039F\u03A6\u0399\u0391", "\u03C3\u03BF\u03C6\u03B9\u03B1"},  // ΣΟΦΙΑ
      {"\u0130stanbul", "istanbul"},                               // dotted capital I
      {"\uAC00\uB098", "\uAC00\uB098"},                              // Hangul syllables stay whole
      {"\u3131\u314F", "\uAC00"},                                   // compatibility jamo compose
      {"\u1100\u1161\u11A8", "\uAC01"},                             // conjoining jamo compose (LVT)
  });
}

// Marks are stripped after NFKC, so accented spellings match the lexicon's
// ASCII patterns: a substitution, not NFKC itself.
TEST(Normalize, StripsMarks) {
  ExpectAll({
      {"caf\u00E9 \u00C9T\u00C9", "cafe ete"},     // precomposed
      {"cafe\u0301", "cafe"},                      // e + combining acute
      {"na\u00EFve", "naive"},
      {"\u0301start", "start"},                    // a mark with no base
      {"1\uFE0F\u20E3", "1"},                      // keycap: selector and enclosing mark
      {"s\u0336e\u0336c\u0336r\u0336e\u0336t\u0336", "secret"},  // strike-through "font"
  });
}

TEST(Normalize, DropsZeroWidthAndFormatCharacters) {
  ExpectAll({
      {"se\u200Bcr\u200Det", "secret"},               // zero-width space, joiner
      {"h\u200Cel\u00ADlo w\u2060or\uFEFFld", "hello world"},  // ZWNJ, soft hyphen, word joiner, BOM
      {"\u200Ehi\u200F", "hi"},                      // directional marks
      {"a\u202Ab\u202Ec\u2066d\u2069", "abcd"},      // bidi embeddings and isolates
      {"a\u180Eb", "ab"},                            // Mongolian vowel separator
      {"\u2764\uFE0F", "\u2764"},                     // variation selector
      {"o\u200Bo\u200Bo\u200Bo", "oo"},              // cannot hide a stretched letter
  });
}

TEST(Normalize, CurlyApostrophes) {
  ExpectAll({
      {"don\u2019t", "don't"},
      {"don\u2018t", "don't"},
      {"don\u02BCt", "don't"},
      {"don\u2032t", "don't"},
      {"\u201Chi\u201D", "\u201Chi\u201D"},  // double quotes are kept
      {"what\u20195", "what's"},             // an apostrophe keeps the word together
      {"5\u2034", "5'''"},                  // a triple prime folds to three primes
  });
}

TEST(Normalize, LookAlikesInsideWords) {
  ExpectAll({
      {"h0w 0ld r u", "how old r u"},
      {"H3LL0 c00l l33t n00b", "hello cool leet noob"},
      {"d0nt t3ll y0ur m0m", "dont tell your mom"},
      {"5ch0ol 1'm", "school i'm"},  // a leading single digit is a letter too
      {"@lex pa$$ $ecret", "alex pass secret"},
      {"year7pa$$", "yeartpass"},
      {"what'5 ur addres5?", "what's ur address?"},
      {"4/5/l", "a/s/l"},
      {"c00l,h0w", "cool,how"},  // a comma ends a word
      {"a55", "ass"},
      {"s5s5s5", "ss"},          // substituted, then squeezed
  });
}

TEST(Normalize, NumbersKeepTheirDigits) {
  ExpectAll({
      {"13 15 1000000", "13 15 1000000"},
      {"13yo 13YO 8th 1st 3pm 10am 5k", "13yo 13yo 8th 1st 3pm 10am 5k"},
      {"7x 3x a week", "7x 3x a week"},  // a count, not "tx"
      {"13/f 24/7 $100 @@ 5$", "13/f 24/7 $100 @@ 5$"},
      {"ok.13yo hi!14 here", "ok.13yo hi!14 here"},  // punctuation ends a word
      {"8th!", "8th!"},
      {"100s of them", "100s of them"},
  });
}

// Digits after a letter in one word read as letters ("hell0"), so numbers
// written onto a word lose theirs: the age extractor reads the original
// text, not this.
TEST(Normalize, DigitsAfterLettersAreLetters) {
  ExpectAll({
      {"hell0", "hello"},
      {"im14", "imia"},
      {"year7", "yeart"},
      {"b4", "ba"},
      {"im12", "imi2"},  // 2 is no look-alike
  });
}

TEST(Normalize, SqueezesRepeatedLetters) {
  ExpectAll({
      {"sooooo cuuute!!!!", "soo cuute!!!!"},
      {"heeeyyy", "heeyy"},
      {"SoOoOo", "soo"},                        // after case folding
      {"\u00E9\u00E9\u00E9\u00E9", "ee"},       // after stripping marks
      {"\u03A3\u03A3\u03C3\u03C3", "\u03C3\u03C3"},  // any letter
      {"aaa aaa", "aa aa"},
      {"...!!!", "...!!!"},                     // only letters
      {"\U0001F600\U0001F600\U0001F600", "\U0001F600\U0001F600\U0001F600"},
  });
}

TEST(Normalize, InvalidBytesBecomeReplacementCharacters) {
  ExpectAll({
      {"a\xFF" "b", "a\uFFFD" "b"},
      {"b\xC3", "b\uFFFD"},                           // truncated
      {"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"},         // a surrogate: three invalid bytes
      {"\xC0\xAF", "\uFFFD\uFFFD"},                   // overlong
      {"\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},  // above U+10FFFF
      {"\uFFFD", "\uFFFD"},
      {"hi \U0001F600", "hi \U0001F600"},
  });
}

TEST(Normalize, OffsetsPointAtTheOriginal) {
  const auto offsets = [](std::string_view s) { return Normalize(s).offsets; };
  using V = std::vector<uint32_t>;
  // "ＨＩ  y\u200Bou": each fullwidth letter is 3 bytes; the space maps to
  // the first whitespace byte of the run; the zero-width space is skipped.
  const std::string original = "\uFF28\uFF29  y\u200Bou";
  NormalizedText n = Normalize(original);
  ASSERT_EQ(n.text, "hi you");
  EXPECT_EQ(n.offsets, (V{0, 3, 6, 8, 12, 13, 14}));
  auto [b, e] = n.OriginalSpan(3, 6);
  EXPECT_EQ(original.substr(b, e - b), "y\u200Bou");
  // A span that ends at a word ends before the spaces after it, and covers
  // the letters squeezed out of it.
  const std::string stretched = "so cuuute \u3000 ok";
  NormalizedText st = Normalize(stretched);
  ASSERT_EQ(st.text, "so cuute ok");
  std::tie(b, e) = st.OriginalSpan(0, 8);
  EXPECT_EQ(stretched.substr(b, e - b), "so cuuute");
  // A span inside the expansion of one character covers that character.
  NormalizedText ss = Normalize("a\u00DF" "b");
  ASSERT_EQ(ss.text, "assb");
  EXPECT_EQ(ss.offsets, (V{0, 1, 1, 3, 4}));
  EXPECT_EQ(ss.OriginalSpan(1, 2), (std::pair<uint32_t, uint32_t>{1, 3}));
  EXPECT_EQ(ss.OriginalSpan(0, 4), (std::pair<uint32_t, uint32_t>{0, 4}));
  EXPECT_EQ(ss.OriginalSpan(2, 2), (std::pair<uint32_t, uint32_t>{1, 1}));
  // A letter with a combining mark maps to the letter; the mark is gone.
  EXPECT_EQ(offsets("xe\u0301y"), (V{0, 1, 4, 5}));
  // A curly apostrophe, a substituted look-alike, a squeezed run.
  EXPECT_EQ(offsets("n\u2019t"), (V{0, 1, 4, 5}));
  EXPECT_EQ(offsets("h0w"), (V{0, 1, 2, 3}));
  EXPECT_EQ(offsets("sooo!"), (V{0, 1, 2, 4, 5}));
  // U+FFFD's three bytes map to the one invalid byte.
  EXPECT_EQ(offsets("a\xFF" "b"), (V{0, 1, 1, 1, 2, 3}));
  // Composed Hangul maps to its first jamo.
  EXPECT_EQ(offsets("\u1100\u1161x"), (V{0, 0, 0, 6, 7}));
  // Leading and trailing whitespace leave nothing.
  EXPECT_EQ(offsets("  a  "), (V{2, 5}));
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
      "a", "B", "o", "0", "1", "3", "4", "5", "7", "8", "@", "$", "'", "/", ".", " ", "\t", "\n", "!", "ss", "eee",
      "yo", "th", "x", "\u00E9", "e\u0301", "\u0301", "\uFF28", "\uFB01", "\u00DF", "\u200B", "\u00AD", "\uFEFF",
      "\u2019", "\u2032", "\u2034", "\U0001F600", "\xFF", "\xC3", "\xE2\x82", "\u00A8", "\u1100\u1161", "\u11A8", "\u3131",
      "\uAC00", "\u00A0", "\u3000", "\u2028", "\u041F", "\u2460", "\uFDFA", "\u03A3", "\u0130"};
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
    ASSERT_TRUE(out.text.empty() || (out.text.front() != ' ' && out.text.back() != ' ')) << s;
    ASSERT_EQ(out.text.find("  "), std::string::npos) << s;
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

// ASCII text skips the folding stage; a word that ends in a non-ASCII symbol
// ("€", not a letter, so it changes no rule) goes through it. Both must
// agree: N(w + "€") == N(w) + "€", with the same offsets.
TEST(Normalize, AsciiPathAgreesWithTheFoldingPath) {
  const std::string alphabet = "aAbeLlostTxy0134579@$!.-_'/ ";
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    std::string w;
    const int len = 1 + static_cast<int>(rng() % 10);
    for (int k = 0; k < len; ++k) w += alphabet[rng() % alphabet.size()];
    if (w.back() == ' ') w.back() = 'a';
    const NormalizedText a = Normalize(w), b = Normalize(w + "\u20AC");
    ASSERT_EQ(b.text, a.text + "\u20AC") << w;
    EXPECT_TRUE(std::equal(a.offsets.begin(), a.offsets.end() - 1, b.offsets.begin())) << w;
  }
}

}  // namespace
}  // namespace sg::chat
