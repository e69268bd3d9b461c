#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "chat/analysis.h"
#include "chat/authors.h"
#include "chat/import/reader.h"

namespace sg::chat {
namespace {

const std::string kFixtures = SG_TEST_DATA_DIR "/chat/analysis/";

std::vector<Conversation> Read(const std::string& name) {
  auto reader = OpenReader(kFixtures + name, "jsonl");
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  std::vector<Conversation> out;
  Conversation c;
  while (true) {
    auto more = (*reader)->Next(c);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    out.push_back(c);
  }
  return out;
}

class ScoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto a = Analyzer::Create({SG_SOURCE_DATA_DIR "/chat", ""});
    ASSERT_TRUE(a.ok()) << a.status().message();
    analyzer_ = std::move(*a).release();
  }
  static void TearDownTestSuite() { delete analyzer_; }
  ConversationAnalysis Analyze(const Conversation& c) {
    Analyzer::Workspace ws;
    auto a = analyzer_->Analyze(c, ws);
    EXPECT_TRUE(a.ok()) << a.status().message();
    return *a;
  }
  static Analyzer* analyzer_;
};
Analyzer* ScoreTest::analyzer_ = nullptr;

TEST_F(ScoreTest, TermContributionsSumToTheScore) {
  for (const char* f : {"grooming.jsonl", "parent_pickup.jsonl", "peers.jsonl", "reused_opening.jsonl"}) {
    for (const Conversation& c : Read(f)) {
      ConversationAnalysis a = Analyze(c);
      double sum = 0;
      for (const Term& t : a.score.terms) sum += t.contribution;
      EXPECT_NEAR(sum, a.score.score, 1e-9) << f;
      EXPECT_FALSE(a.score.terms.empty());
    }
  }
}

TEST_F(ScoreTest, GroomingIsFlaggedWithEvidenceAndHardNegativesAreNot) {
  auto g = Read("grooming.jsonl");
  ASSERT_EQ(g.size(), 1u);
  ConversationAnalysis a = Analyze(g[0]);
  EXPECT_TRUE(a.score.flagged) << a.score.score;
  std::set<std::string> cats;
  for (const Indicator& i : a.indicators) cats.insert(std::string(CategoryName(analyzer_->lexicon().rules[i.rule].category)));
  for (const char* want : {"age_probe", "minor_ack", "personal_info", "risk_assessment", "money", "secrecy",
                           "platform_move", "photo_request", "meeting"}) {
    EXPECT_EQ(cats.count(want), 1u) << want;
  }
  // The minor's and the adult's ages, with their lines.
  ASSERT_EQ(a.ages.size(), 2u);
  EXPECT_EQ(a.ages[0].author, "kid_example");
  EXPECT_EQ(a.ages[0].line, 4u);
  EXPECT_EQ(a.ages[1].mention.low, 27);
  bool adult_minor = false;
  for (const Term& t : a.score.terms) adult_minor |= t.name == "adult_minor";
  EXPECT_TRUE(adult_minor);

  for (const char* f : {"parent_pickup.jsonl", "peers.jsonl"}) {
    for (const Conversation& c : Read(f)) {
      ConversationAnalysis n = Analyze(c);
      EXPECT_FALSE(n.score.flagged) << f << " scored " << n.score.score;
      EXPECT_LT(n.score.score, a.score.score);
    }
  }
}

TEST_F(ScoreTest, JsonIsRedactedUnlessRevealed) {
  auto g = Read("grooming.jsonl");
  ConversationAnalysis a = Analyze(g[0]);
  auto redacted = boost::json::serialize(ConversationJson(a, analyzer_->lexicon(), nullptr));
  EXPECT_EQ(redacted.find("secret"), std::string::npos);
  EXPECT_EQ(redacted.find("\"text\""), std::string::npos);
  auto revealed = ConversationJson(a, analyzer_->lexicon(), &g[0]);
  bool found = false;
  for (const auto& i : revealed.at("indicators").as_array()) {
    if (i.at("rule").as_string() == "se01") {
      EXPECT_EQ(i.at("text").as_string(), "dont tell anyone");
      EXPECT_EQ(i.at("line").to_number<int64_t>(), 11);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ScoreTest, AuthorsCountMinorsAndReusedOpenings) {
  auto convs = Read("reused_opening.jsonl");
  ASSERT_EQ(convs.size(), 3u);
  auto out = AnalyzeConversations(convs, *analyzer_);
  ASSERT_TRUE(out.ok());
  const auto& authors = out->at("authors").as_array();
  ASSERT_EQ(authors.size(), 4u);
  const auto& top = authors[0].as_object();
  EXPECT_EQ(top.at("author").as_string(), "sam_example");  // ranked first
  EXPECT_EQ(top.at("minors_contacted").to_number<int64_t>(), 3);
  EXPECT_EQ(top.at("reused_opening").to_number<int64_t>(), 3);
  EXPECT_TRUE(top.at("estimated_age").is_null());
  for (size_t i = 1; i < authors.size(); ++i) {
    EXPECT_EQ(authors[i].at("minors_contacted").to_number<int64_t>(), 0);
    EXPECT_FALSE(authors[i].at("estimated_age").is_null());
  }
}

TEST(OpeningTest, NearIdentical) {
  EXPECT_TRUE(NearIdentical(OpeningKey("Hey there, love your pics!!"), OpeningKey("hey there love ur pics")));
  EXPECT_FALSE(NearIdentical(OpeningKey("hey there love your pics"), OpeningKey("did you finish the homework")));
}

TEST(ScorecardTest, BadFileNamesLine) {
  auto bad = Scorecard::Parse("# scorecard-version: 1\nterm\tweight\nintercept\tabc\n", "s.tsv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("s.tsv:3:"), std::string::npos);
  auto dup = Scorecard::Parse("# scorecard-version: 1\nterm\tweight\na\t1\na\t2\n", "s.tsv");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("s.tsv:4: term 'a' given twice"), std::string::npos);
}

}  // namespace
}  // namespace sg::chat
