// Chat edges in the network graph, read from the store on SQLite and
// PostgreSQL: a chat log stored with the chat module's own analysis
// (chat::AnalyzeConversations, so the JSON contract network_chat_source.h
// reads is the one the chat module writes), its authors joined to persons
// by screen name on the conversation's platform. A conversation without a
// platform (an "any_platform" lead) gives no edge. Synthetic, non-explicit
// messages only.
#include <gtest/gtest.h>

#include <algorithm>

#include "chat/analysis.h"
#include "chat/chat_store.h"
#include "core/json_text.h"
#include "linking/identifiers.h"
#include "linking/network_chat_source.h"
#include "linking/network_source.h"
#include "../store/test_backends.h"

namespace sg::linking {
namespace {

const chat::Analyzer& SharedAnalyzer() {
  static std::unique_ptr<chat::Analyzer> analyzer = [] {
    auto a = chat::Analyzer::Create({});
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? std::move(*a) : nullptr;
  }();
  return *analyzer;
}

chat::Conversation Conversation(std::string id, std::string platform,
                                std::vector<std::pair<std::string, std::string>> messages) {
  chat::Conversation c;
  c.id = std::move(id);
  c.platform = std::move(platform);
  c.source = "seized.jsonl";
  uint64_t line = 1;
  for (auto& [author, text] : messages) c.messages.push_back({author, std::nullopt, text, line++, std::nullopt});
  return c;
}

class NetworkChatTest : public store::testing::MigratedStoreTest {
 protected:
  int64_t AddReport(const std::string& body) {
    auto q = conn_->Prepare(
        "INSERT INTO reports (received_at, channel, owner, source, incident_type, priority, body, body_sha256)"
        " VALUES ('2026-11-01T10:00:00.000Z', 'import', 'cli:test', 'industry', 'online_enticement', 'normal', ?, '')"
        " RETURNING id");
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    EXPECT_TRUE((*q)->Bind({body}).ok());
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    const int64_t id = (*q)->Int(0);
    (void)(*q)->Step();
    return id;
  }
  // Person `person` is the `role` of `report` and holds the screen name.
  void Person(int64_t report, const std::string& role, int64_t person, const std::string& platform,
              const std::string& screen_name) {
    Exec("INSERT INTO report_persons (report_id, role, person_index, person_id) VALUES (?, ?, 0, ?)",
         {report, role, person});
    auto value = NormaliseScreenName(platform, screen_name);
    ASSERT_TRUE(value.ok());
    Exec("INSERT INTO person_identifiers (kind, value, person_id) VALUES ('screen_name', ?, ?)", {*value, person});
  }
  void Exec(const std::string& sql, const std::vector<store::Value>& params) {
    auto r = conn_->Exec(sql, params);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  int64_t SaveLog(const std::vector<chat::Conversation>& conversations) {
    auto analysis = chat::AnalyzeConversations(conversations, SharedAnalyzer());
    EXPECT_TRUE(analysis.ok()) << analysis.status().ToString();
    chat::NewChatLog log;
    log.case_ref = "OP-7";
    log.source_name = "seized.jsonl";
    log.actor = "cli:test";
    log.analysis = JsonText(*analysis);
    chat::ChatStore store(*conn_);
    auto id = store.SaveLog(log, conversations);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
};

TEST_P(NetworkChatTest, AMinorAdultChatOnAKnownPlatformIsAnEdgeWithItsEvidence) {
  const int64_t r1 = AddReport(R"({"platform":"ExampleChat"})");
  const int64_t r2 = AddReport(R"({"platform":"ExampleChat"})");
  const int64_t r3 = AddReport(R"({"platform":"ExampleChat"})");
  Person(r1, "reported", 100, "ExampleChat", "Harbour_Fox");  // a suspect; discloses no age
  Person(r2, "victim", 200, "ExampleChat", "sky_walker12");   // a victim of no known age
  Person(r3, "reported", 300, "ExampleChat", "night_owl");
  const int64_t log = SaveLog({
      Conversation("c1", "ExampleChat",
                   {{"Harbour_Fox", "how old are you?"},
                    {"sky_walker12", "im 12"},
                    {"Harbour_Fox", "dont tell your parents we talk ok"},
                    {"Harbour_Fox", "add me on another app, its private"}}),
      // No platform: night_owl would be looked up on every platform, a
      // lead and not a link: no edge, though the same child answers.
      Conversation("c2", "", {{"night_owl", "how old are you"}, {"sky_walker12", "im 12"}}),
  });

  auto facts = LoadChatFacts(*conn_);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->logs, 1u);
  EXPECT_EQ(facts->no_platform, 1u);
  ASSERT_EQ(facts->conversations.size(), 1u);
  const ChatConversationFacts& c = facts->conversations[0];
  EXPECT_EQ(c.chat_log_id, log);
  EXPECT_EQ(c.conversation, "c1");
  ASSERT_EQ(c.authors.size(), 2u);
  EXPECT_EQ(c.authors[0].person_ids, (std::vector<int64_t>{100}));
  EXPECT_EQ(c.authors[1].person_ids, (std::vector<int64_t>{200}));
  EXPECT_EQ(c.authors[1].age_high, 12);
  EXPECT_FALSE(c.lines.empty());
  EXPECT_TRUE(std::find(c.lines.begin(), c.lines.end(), uint64_t{2}) != c.lines.end());  // "im 12"

  NetworkOptions options;
  options.now_ms = 1793527200000;
  auto a = AnalyseNetworks(*conn_, options);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->networks.size(), 1u);
  EXPECT_EQ(a->networks[0].person_ids, (std::vector<int64_t>{100, 200}));
  ASSERT_EQ(a->graph.edges.size(), 1u);
  const GraphEdge& e = a->graph.edges[0];
  EXPECT_EQ(e.kind, EdgeKind::kOffenderVictim);
  EXPECT_EQ(e.offender, 100);
  EXPECT_EQ(e.chat_count, 1);
  ASSERT_EQ(e.chats.size(), 1u);
  EXPECT_EQ(e.chats[0].chat_log_id, log);
  EXPECT_EQ(e.chats[0].conversation, "c1");
  EXPECT_EQ(e.chats[0].lines, c.lines);
  EXPECT_EQ(a->graph.persons[static_cast<size_t>(a->graph.IndexOf(200))].youngest_age, 12);
}

TEST_P(NetworkChatTest, AnAnalysisNotInTheExpectedShapeIsSkipped) {
  Exec("INSERT INTO chat_logs (case_ref, source_name, format, created_at, created_by, conversations, messages,"
       " analysis) VALUES ('OP-1', 'x.jsonl', 'jsonl', '2026-11-01T10:00:00.000Z', 'cli:test', 0, 0, ?)",
       {std::string("{\"not\": \"an analysis\"}")});
  auto facts = LoadChatFacts(*conn_);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->logs, 1u);
  EXPECT_EQ(facts->unreadable_logs, 1u);
  EXPECT_TRUE(facts->conversations.empty());
}

TEST(ParseChatAnalysis, MergesChunksOfOneConversation) {
  const std::string json = R"({"conversations": [
      {"conversation": "c1", "platform": "ExampleChat", "flagged": false, "authors": ["a", "b"],
       "indicators": [{"line": 9}], "ages": []},
      {"conversation": "c1", "platform": "ExampleChat", "flagged": true, "authors": ["b", "c"],
       "indicators": [{"line": 3}], "ages": [{"author": "c", "line": 4}]}],
    "authors": [{"author": "c", "age_range": [13, 14]}, {"author": "a", "estimated_age": null}]})";
  auto parsed = ParseChatAnalysis(5, json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 1u);
  const ChatConversationFacts& c = (*parsed)[0].facts;
  EXPECT_TRUE(c.flagged);
  EXPECT_EQ(c.lines, (std::vector<uint64_t>{3, 4, 9}));
  ASSERT_EQ(c.authors.size(), 3u);
  EXPECT_EQ(c.authors[2].name, "c");
  EXPECT_EQ(c.authors[2].age_low, 13);
  EXPECT_EQ(c.authors[0].age_low, std::nullopt);
  EXPECT_FALSE(ParseChatAnalysis(5, "[1, 2]").ok());
}

SG_INSTANTIATE_BACKENDS(NetworkChatTest);

}  // namespace
}  // namespace sg::linking
