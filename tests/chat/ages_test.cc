#include "chat/ages.h"

#include <gtest/gtest.h>

namespace sg::chat {
namespace {

Message Msg(std::string author, std::string text, uint64_t line) {
  Message m;
  m.author = std::move(author);
  m.text = std::move(text);
  m.line = line;
  return m;
}

struct Case {
  const char* text;
  int low, high;      // -1: no claim expected
  bool after_question = false;
};

// Each row: a message and the one age range it discloses (or none).
const Case kCases[] = {
    // Self-disclosed ages in their chat forms.
    {"im 13", 13, 13},
    {"I'm 13 years old", 13, 13},
    {"i am 14", 14, 14},
    {"I\u2019m 15 lol", 15, 15},
    {"13 yo", 13, 13},
    {"13yo btw", 13, 13},
    {"13 y/o", 13, 13},
    {"age 13", 13, 13},
    {"age: 12", 12, 12},
    {"13/f", 13, 13},
    {"14 f uk", 14, 14},
    {"asl? 14 f", 14, 14},
    {"im only 12", 12, 12},
    {"im thirteen", 13, 13},
    {"turning 14 next month", 13, 13},
    {"I'll be 14 in june", 13, 13},
    {"im 34 and work in IT", 34, 34},
    {"13", 13, 13, true},
    {"13 u?", 13, 13, true},
    // School years.
    {"im in year 8", 12, 13},
    {"in yr 7 at the moment", 11, 12},
    {"i'm in p7", 10, 11},
    {"im in s2", 12, 13},
    {"I'm in 8th grade", 13, 14},
    {"im in grade 6", 11, 12},
    {"im a freshman", 14, 15},
    // Traps: distances and durations.
    {"im 13 miles away", -1, -1},
    {"it's 13 minutes from me", -1, -1},
    {"ive played for 13 years", -1, -1},
    {"that was 13 years ago", -1, -1},
    {"im 13 mins away", -1, -1},
    // Game levels and counters.
    {"im level 13", -1, -1},
    {"im lvl 13 now", -1, -1},
    {"got to wave 13", -1, -1},
    // Other people's ages.
    {"my brother is 13", -1, -1},
    {"my son is 13 years old", -1, -1},
    {"she's 13 yo", -1, -1},
    {"my kids are aged 13 and 14", -1, -1},
    {"my daughter is in year 8", -1, -1},
    // The past tense and hypotheticals.
    {"when I was 13", -1, -1},
    {"i was 13 years old then", -1, -1},
    {"when im 18 ill drive", -1, -1},
    // Times and prices.
    {"see u at 13:00", -1, -1},
    {"im free at 13", -1, -1},
    {"it costs £13", -1, -1},
    {"its 13.50 each", -1, -1},
    {"13", -1, -1},  // a bare number with no question before it
    {"im 13th in the queue", -1, -1},
    {"my iphone 13 is broken", -1, -1},
};

TEST(AgesTest, Table) {
  for (const Case& c : kCases) {
    auto mentions = FindAgeMentions(c.text, c.after_question);
    if (c.low < 0) {
      EXPECT_TRUE(mentions.empty()) << "'" << c.text << "' gave " << (mentions.empty() ? 0 : mentions[0].low);
      continue;
    }
    ASSERT_EQ(mentions.size(), 1u) << "'" << c.text << "'";
    EXPECT_EQ(mentions[0].low, c.low) << c.text;
    EXPECT_EQ(mentions[0].high, c.high) << c.text;
    EXPECT_GT(mentions[0].confidence, 0) << c.text;
    EXPECT_LE(mentions[0].begin, mentions[0].end) << c.text;
  }
}

TEST(AgesTest, EvidenceSpanPointsAtTheClaim) {
  std::string text = "hey! I'm 13 years old, u?";
  auto m = FindAgeMentions(text);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(text.substr(m[0].begin, m[0].end - m[0].begin), "I'm 13 years old");
}

TEST(AgesTest, AsksAge) {
  EXPECT_TRUE(AsksAge("how old r u"));
  EXPECT_TRUE(AsksAge("asl?"));
  EXPECT_TRUE(AsksAge("whats ur age"));
  EXPECT_FALSE(AsksAge("how are you"));
}

Conversation Chat(std::vector<std::pair<std::string, std::string>> lines) {
  Conversation c;
  c.id = "c1";
  uint64_t line = 1;
  for (auto& [a, t] : lines) c.messages.push_back(Msg(a, t, line++));
  return c;
}

TEST(AgesTest, ClaimsAreAttributedToTheirAuthorWithEvidence) {
  auto claims = ExtractAgeClaims(Chat({{"adam", "hi asl?"}, {"kid", "13"}, {"adam", "im 31 m"}}));
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].author, "kid");
  EXPECT_EQ(claims[0].line, 2u);
  EXPECT_EQ(claims[0].mention.low, 13);
  EXPECT_EQ(claims[0].conversation, "c1");
  EXPECT_EQ(claims[1].author, "adam");
  EXPECT_EQ(claims[1].mention.low, 31);
}

TEST(AgesTest, ABareNumberFromTheAskerIsNotAnAnswer) {
  auto claims = ExtractAgeClaims(Chat({{"a", "how old are you"}, {"a", "13"}}));
  EXPECT_TRUE(claims.empty());
}

TEST(AgesTest, ConflictingClaimsAreFlagged) {
  auto claims = ExtractAgeClaims(Chat({{"x", "im 13"}, {"y", "cool"}, {"x", "i mean im 19 years old"}}));
  auto ages = CombineAgeClaims(claims);
  ASSERT_EQ(ages.size(), 1u);
  EXPECT_TRUE(ages[0].conflicting);
  EXPECT_EQ(ages[0].low, 19);  // the more confident claim
  EXPECT_EQ(ages[0].claims, 2u);
  auto consistent = CombineAgeClaims(ExtractAgeClaims(Chat({{"x", "im 13"}, {"x", "turning 14 soon"}})));
  ASSERT_EQ(consistent.size(), 1u);
  EXPECT_FALSE(consistent[0].conflicting);
  EXPECT_TRUE(consistent[0].minor());
}

}  // namespace
}  // namespace sg::chat
