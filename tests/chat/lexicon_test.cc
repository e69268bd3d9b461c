#include "chat/lexicon.h"

#include <gtest/gtest.h>

namespace sg::chat {
namespace {

constexpr std::string_view kHeader = "# lexicon-version: 3\nid\tcategory\tstage\tweight\tspeaker\tpattern\n";

TEST(LexiconTest, ParsesRules) {
  auto lex = ParseLexicon(std::string(kHeader) + "s1\tsecrecy\texclusivity\t0.9\tany\tour secret\n", "l.tsv");
  ASSERT_TRUE(lex.ok()) << lex.status().message();
  EXPECT_EQ(lex->version, "3");
  ASSERT_EQ(lex->rules.size(), 1u);
  EXPECT_EQ(lex->rules[0].id, "s1");
  EXPECT_EQ(lex->rules[0].category, Category::kSecrecy);
  EXPECT_EQ(lex->rules[0].stage, Stage::kExclusivity);
  EXPECT_DOUBLE_EQ(lex->rules[0].weight, 0.9);
  EXPECT_EQ(lex->rules[0].line, 3u);
}

struct BadCase {
  std::string body;
  std::string expected;  // a substring of the error, with FILE:LINE
};

TEST(LexiconTest, BadFilesNameFileAndLine) {
  const BadCase cases[] = {
      {"s1\tsecrecy\texclusivity\t0.9\tany\n", "l.tsv:3: expected 6 tab-separated fields, found 5"},
      {"s1\tsecrets\texclusivity\t0.9\tany\tx\n", "l.tsv:3: unknown category 'secrets'"},
      {"s1\tsecrecy\tsexual\t0.9\tany\tx\n", "l.tsv:3: unknown stage"},
      {"s1\tsecrecy\texclusivity\t1.5\tany\tx\n", "l.tsv:3: weight '1.5'"},
      {"s1\tsecrecy\texclusivity\tabc\tany\tx\n", "l.tsv:3: weight 'abc'"},
      {"s1\tsecrecy\texclusivity\t0.5\tchild\tx\n", "l.tsv:3: speaker 'child'"},
      {"s1\tsecrecy\texclusivity\t0.5\tany\t\n", "l.tsv:3: empty pattern"},
      {"s1\tsecrecy\texclusivity\t0.5\tany\tx\n\ns1\tsecrecy\texclusivity\t0.5\tany\ty\n",
       "l.tsv:5: duplicate id 's1'"},
  };
  for (const auto& c : cases) {
    auto lex = ParseLexicon(std::string(kHeader) + c.body, "l.tsv");
    ASSERT_FALSE(lex.ok()) << c.body;
    EXPECT_NE(lex.status().message().find(c.expected), std::string::npos) << lex.status().message();
  }
  auto no_version = ParseLexicon("id\tcategory\tstage\tweight\tspeaker\tpattern\n", "l.tsv");
  ASSERT_FALSE(no_version.ok());
  EXPECT_NE(no_version.status().message().find("l.tsv:1: no '# lexicon-version"), std::string::npos);
  auto no_rules = ParseLexicon(kHeader, "l.tsv");
  ASSERT_FALSE(no_rules.ok());
  auto missing = LoadLexicon("/nonexistent/lexicon.tsv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/lexicon.tsv"), std::string::npos);
}

TEST(LexiconTest, ShippedLexiconLoadsAndCoversEveryCategory) {
  auto lex = LoadLexicon(SG_SOURCE_DATA_DIR "/chat/lexicon.tsv");
  ASSERT_TRUE(lex.ok()) << lex.status().message();
  EXPECT_GE(lex->rules.size(), 150u);
  bool seen[kCategoryCount] = {};
  for (const auto& r : lex->rules) seen[static_cast<int>(r.category)] = true;
  for (int i = 0; i < kCategoryCount; ++i) {
    // Age disclosure comes from the age extractor (ages.h), not from patterns.
    if (static_cast<Category>(i) == Category::kAgeDisclosure) continue;
    EXPECT_TRUE(seen[i]) << CategoryName(static_cast<Category>(i));
  }
}

}  // namespace
}  // namespace sg::chat
