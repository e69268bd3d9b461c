#include <algorithm>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "chat/indicator_matcher.h"
#include "chat/scan_buffer.h"

namespace sg::chat {
namespace {

Message Msg(std::string author, std::string text, uint64_t line) {
  Message m;
  m.author = std::move(author);
  m.text = std::move(text);
  m.line = line;
  return m;
}

TEST(NormalizeTest, Table) {
  const std::pair<std::string, std::string> cases[] = {
      {"How OLD are YOU", "how old are you"},
      {"h0w 0ld r u", "how old r u"},
      {"soooo  prettyyyy", "soo prettyy"},
      {"im 13yo", "im 13yo"},
      {"year 8", "year 8"},
      {"8th grade", "8th grade"},
      {"don\u2019t tell", "don't tell"},
      {"se\u200Bcr\u200Det", "secret"},
      {"\uFF44\uFF4F\uFF4E't tell", "don't tell"},  // fullwidth
      {"caf\u00E9 \u00C9T\u00C9", "cafe ete"},
      {"  a \t\n b  ", "a b"},
      {"$ecret", "secret"},
      {"\xF0\x9F\x98\x80 hi", "\xF0\x9F\x98\x80 hi"},  // emoji kept
      // Look-alikes are decided per word: punctuation ends a word, except an
      // apostrophe or a slash inside one.
      {"ok.13yo", "ok.13yo"},
      {"hi!14 here", "hi!14 here"},
      {"what'5 ur addres5?", "what's ur address?"},
      {"4/5/l", "a/s/l"},
      {"24/7", "24/7"},
      {"r u 13/f", "r u 13/f"},
      {"c00l,h0w", "cool,how"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(NormalizeForMatching(in), want) << in;
}

TEST(ScanBufferTest, MapsBackToMessagesAndOriginalSpans) {
  Conversation c;
  c.messages = {Msg("a", "Hi THERE", 1), Msg("b", "dOOOn\u2019t   tell", 2)};
  ScanBuffer b;
  BuildScanBuffer(c, &b);
  EXPECT_EQ(b.text, "hi there\ndoon't tell");
  ASSERT_EQ(b.starts.size(), 2u);
  EXPECT_EQ(b.MessageAt(0), 0u);
  EXPECT_EQ(b.MessageAt(8), 0u);
  EXPECT_EQ(b.MessageAt(9), 1u);
  size_t at = b.text.find("tell");
  uint32_t begin, end;
  b.OriginalSpan(at, at + 4, &begin, &end);
  EXPECT_EQ(c.messages[1].text.substr(begin, end - begin), "tell");
  b.OriginalSpan(9, b.text.size(), &begin, &end);
  EXPECT_EQ(c.messages[1].text.substr(begin, end - begin), c.messages[1].text);
}

class MatcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto lex = LoadLexicon(SG_SOURCE_DATA_DIR "/chat/lexicon.tsv");
    ASSERT_TRUE(lex.ok()) << lex.status().message();
    auto m = IndicatorMatcher::Create(std::move(*lex), "");
    ASSERT_TRUE(m.ok()) << m.status().message();
    matcher_ = std::move(*m).release();
  }
  static void TearDownTestSuite() { delete matcher_; }

  std::set<std::string> Categories(const std::string& text) {
    Conversation c;
    c.messages = {Msg("a", text, 1)};
    ScanBuffer b;
    BuildScanBuffer(c, &b);
    auto scratch = matcher_->NewScratch();
    EXPECT_TRUE(scratch.ok());
    std::vector<Hit> hits;
    EXPECT_TRUE(matcher_->Scan(b.text, *scratch, &hits).ok());
    std::set<std::string> out;
    for (const Hit& h : hits) out.insert(std::string(CategoryName(matcher_->lexicon().rules[h.rule].category)));
    return out;
  }
  static IndicatorMatcher* matcher_;
};
IndicatorMatcher* MatcherTest::matcher_ = nullptr;

TEST_F(MatcherTest, FindsEachCategoryInVariedSpelling) {
  const std::pair<std::string, std::string> cases[] = {
      {"heyyy h0w 0ld r u??", "age_probe"},
      {"asl?", "age_probe"},
      {"what year are you in", "age_probe"},
      {"ur so mature for ur age", "minor_ack"},
      {"you're only 13", "minor_ack"},
      {"which school do u go to", "personal_info"},
      {"r ur parents home", "risk_assessment"},
      {"who else uses your phone", "risk_assessment"},
      {"DONT TELL ANYONE", "secrecy"},
      {"it's our little secret", "secrecy"},
      {"delete this chat after", "secrecy"},
      {"only I understand you", "exclusivity"},
      {"ur friends don't get u", "exclusivity"},
      {"ur soooo pretty", "trust"},
      {"i'll buy you a new phone", "gifts"},
      {"want some free robux?", "money"},
      {"i can get u a gift card", "money"},
      {"add me on snap", "platform_move"},
      {"lets talk on telegram", "platform_move"},
      {"send me a pic", "photo_request"},
      {"turn on your cam", "photo_request"},
      {"we should meet up", "meeting"},
      {"i'll pick you up after school", "meeting"},
      {"if u really liked me u would", "pressure"},
      // "u're" and "u are" as "you're"; "you seem"/"you look" before a compliment;
      // two intensifiers before "older than".
      {"u're really clever", "trust"},
      {"u are so kind", "trust"},
      {"u seem so sm4rt", "trust"},
      {"you look stunning", "trust"},
      {"u're just 12", "minor_ack"},
      {"you act way older than your age", "minor_ack"},
      {"you seem so much older than u", "minor_ack"},
      {"u're my best friend", "exclusivity"},
  };
  for (const auto& [text, category] : cases) {
    EXPECT_EQ(Categories(text).count(category), 1u) << text;
  }
}

TEST_F(MatcherTest, NeutralTextMatchesNothing) {
  for (const char* text : {"see you at practice on tuesday", "the homework is due friday",
                           "gg that was a good match", "can you pick up milk on the way home"}) {
    EXPECT_TRUE(Categories(text).empty()) << text;
  }
}

TEST(MatcherCacheTest, SecondCreateLoadsTheCachedDatabase) {
  std::string dir = ::testing::TempDir() + "/sg_chat_cache_test";
  std::filesystem::remove_all(dir);
  auto lex = LoadLexicon(SG_SOURCE_DATA_DIR "/chat/lexicon.tsv");
  ASSERT_TRUE(lex.ok());
  auto first = IndicatorMatcher::Create(*lex, dir);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_FALSE((*first)->loaded_from_cache());
  auto second = IndicatorMatcher::Create(*lex, dir);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)->loaded_from_cache());
  std::filesystem::remove_all(dir);
}

TEST(MatcherCacheTest, BadPatternNamesFileLineAndRule) {
  auto lex = ParseLexicon(
      "# lexicon-version: 1\nid\tcategory\tstage\tweight\tspeaker\tpattern\n"
      "ok1\tsecrecy\texclusivity\t0.5\tany\tsecret\nbad1\tsecrecy\texclusivity\t0.5\tany\t(unclosed\n",
      "bad.tsv");
  ASSERT_TRUE(lex.ok());
  auto m = IndicatorMatcher::Create(std::move(*lex), "");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("bad.tsv:4: rule bad1:"), std::string::npos) << m.status().message();
}

}  // namespace
}  // namespace sg::chat
