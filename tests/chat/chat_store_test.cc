// ChatStore on SQLite and PostgreSQL (store/test_backends.h): a log saved
// from a reader reads back exactly; a reader error stores nothing; reports,
// analysis and the audit trail.
#include <gtest/gtest.h>

#include "chat/chat_store.h"
#include "core/time.h"
#include "import_test_util.h"
#include "../store/test_backends.h"

namespace sg::chat {
namespace {

using testing::DataPath;

class ChatStoreTest : public store::testing::MigratedStoreTest {
 protected:
  int64_t Count(const std::string& sql) {
    auto q = conn_->Prepare(sql);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    return (*q)->Int(0);
  }

  int64_t AddReport() {
    auto q = conn_->Prepare(
        "INSERT INTO reports (received_at, channel, owner, source, incident_type, priority, body, body_sha256)"
        " VALUES ('2026-11-29T18:00:00.000Z', 'api', 'token:7', 'industry', 'online_enticement', 'normal', '{}', 'x')"
        " RETURNING id");
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    auto row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    const int64_t id = (*q)->Int(0);
    (void)(*q)->Step();
    return id;
  }

  NewChatLog Log(Format f, std::string name) {
    NewChatLog log;
    log.source_name = std::move(name);
    log.format = std::string(FormatName(f));
    log.actor = "user:analyst-1";
    log.address = "192.0.2.10";
    return log;
  }
};

void ExpectSame(const std::vector<Conversation>& a, const std::vector<Conversation>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].platform, b[i].platform);
    ASSERT_EQ(a[i].messages.size(), b[i].messages.size()) << a[i].id;
    for (size_t k = 0; k < a[i].messages.size(); ++k) {
      const Message& x = a[i].messages[k];
      const Message& y = b[i].messages[k];
      EXPECT_EQ(x.author, y.author);
      EXPECT_EQ(x.text, y.text);
      EXPECT_EQ(x.line, y.line);
      EXPECT_EQ(x.time, y.time);
      EXPECT_EQ(x.minute_of_day, y.minute_of_day);
    }
  }
}

TEST_P(ChatStoreTest, SavesEveryFormatAndReadsItBack) {
  ChatStore store(*conn_);
  for (const auto& [file, format] : std::vector<std::pair<std::string, Format>>{
           {"jsonl_small.jsonl", Format::kJsonl}, {"csv_small.csv", Format::kCsv},
           {"pan12_small.xml", Format::kPan12}, {"whatsapp_ios.txt", Format::kWhatsapp}}) {
    auto expected = testing::ReadFile(DataPath(file));
    ASSERT_EQ(expected.error, "");
    auto reader = OpenReader(DataPath(file));
    ASSERT_TRUE(reader.ok());
    auto id = store.SaveLog(Log(format, file), **reader);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    auto loaded = store.LoadLog(*id);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    ExpectSame(*loaded, expected.conversations);
    EXPECT_EQ((*loaded)[0].source, file);
    auto info = store.GetLog(*id);
    ASSERT_TRUE(info.ok() && info->has_value());
    EXPECT_EQ((*info)->format, FormatName(format));
    EXPECT_EQ((*info)->created_by, "user:analyst-1");
    EXPECT_EQ((*info)->conversations, static_cast<int64_t>(expected.conversations.size()));
    EXPECT_FALSE((*info)->report_id.has_value());
    EXPECT_FALSE((*info)->analysed_at.has_value());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'chat_log.create'"), 4);
}

TEST_P(ChatStoreTest, AReaderErrorStoresNothing) {
  ChatStore store(*conn_);
  const std::string jsonl =
      "{\"conversation\": \"c1\", \"author\": \"a\", \"time\": null, \"text\": \"t\"}\n"
      "{\"conversation\": \"c2\", \"author\": \"a\", \"time\": null, \"text\": \"t\"}\n"
      "{\"conversation\": \"c3\", \"author\": \"a\", \"time\": \"noon\", \"text\": \"t\"}\n";
  auto reader = OpenReaderFromString("upload.jsonl", jsonl);
  ASSERT_TRUE(reader.ok());
  auto id = store.SaveLog(Log(Format::kJsonl, "upload.jsonl"), **reader);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message().substr(0, 15), "upload.jsonl:3:");
  EXPECT_EQ(Count("SELECT count(*) FROM chat_logs"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM chat_conversations"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM chat_messages"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), 0);
}

TEST_P(ChatStoreTest, AttachedToAReport) {
  ChatStore store(*conn_);
  Conversation c;
  c.id = "r1";
  c.platform = "gameapp";
  c.messages.push_back({"Ava Test", std::nullopt, "caf\xC3\xA9 \xF0\x9F\x98\x80", 1, std::nullopt});
  NewChatLog log = Log(Format::kJsonl, "report chat");
  log.report_id = 999;
  auto missing = store.SaveLog(log, std::vector<Conversation>{c});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "report 999 does not exist");
  const int64_t report = AddReport();
  log.report_id = report;
  log.case_ref = "CASE-2026-0001";
  auto id = store.SaveLog(log, std::vector<Conversation>{c});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto logs = store.LogsForReport(report);
  ASSERT_TRUE(logs.ok());
  ASSERT_EQ(logs->size(), 1u);
  EXPECT_EQ((*logs)[0].id, *id);
  EXPECT_EQ((*logs)[0].case_ref, "CASE-2026-0001");
  auto loaded = store.LoadLog(*id);
  ASSERT_TRUE(loaded.ok());
  ExpectSame(*loaded, {c});
  // Deleting the report removes its chat.
  ASSERT_TRUE(conn_->Exec("DELETE FROM reports WHERE id = ?", {report}).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM chat_messages"), 0);
}

TEST_P(ChatStoreTest, AnalysisIsStoredAndAudited) {
  ChatStore store(*conn_);
  Conversation c;
  c.id = "x";
  c.messages.push_back({"a", std::nullopt, "hello", 1, 600});
  auto id = store.SaveLog(Log(Format::kCsv, "x.csv"), std::vector<Conversation>{c});
  ASSERT_TRUE(id.ok());
  auto none = store.GetAnalysis(*id);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store.SaveAnalysis(*id, R"({"conversations": 1})", "user:analyst-1", "192.0.2.10").ok());
  ASSERT_TRUE(store.SaveAnalysis(*id, R"({"conversations": 1, "flagged": 0})").ok());
  auto got = store.GetAnalysis(*id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, R"({"conversations": 1, "flagged": 0})");
  auto info = store.GetLog(*id);
  ASSERT_TRUE(info.ok() && info->has_value());
  EXPECT_TRUE((*info)->analysed_at.has_value());
  EXPECT_EQ(store.SaveAnalysis(*id + 1, "{}").code(), StatusCode::kNotFound);
  EXPECT_EQ(store.GetAnalysis(*id + 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.LoadLog(*id + 1).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store.AuditRead({*id}, "user:analyst-2", "192.0.2.11").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'chat_log.analyse'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'chat_log.read'"), 1);
}

SG_INSTANTIATE_BACKENDS(ChatStoreTest);

}  // namespace
}  // namespace sg::chat
