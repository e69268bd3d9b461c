#include "chat/chat_store.h"

#include <fmt/format.h>

#include "core/time.h"
#include "store/audit.h"
#include "store/row_inserter.h"

namespace sg::chat {
namespace {

using store::Value;

Status RunToEnd(store::Statement& s, const std::vector<Value>& params) {
  SG_RETURN_IF_ERROR(s.Bind(params));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Status::Ok();
  }
}

constexpr std::string_view kLogColumns =
    "id, report_id, case_ref, source_name, format, created_at, created_by, conversations, messages, analysed_at";

ChatLogInfo ReadInfo(const store::Statement& s) {
  ChatLogInfo info;
  info.id = s.Int(0);
  info.report_id = s.OptInt(1);
  info.case_ref = s.OptText(2);
  info.source_name = s.Text(3);
  info.format = s.Text(4);
  info.created_at = s.Text(5);
  info.created_by = s.Text(6);
  info.conversations = s.Int(7);
  info.messages = s.Int(8);
  info.analysed_at = s.OptText(9);
  return info;
}

}  // namespace

Status ChatStore::CheckReport(const NewChatLog& log) {
  if (!log.report_id) return Status::Ok();
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare("SELECT 1 FROM reports WHERE id = ?"));
  SG_RETURN_IF_ERROR(q->Bind({*log.report_id}));
  SG_ASSIGN_OR_RETURN(bool found, q->Step());
  if (!found) return NotFound(fmt::format("report {} does not exist", *log.report_id));
  SG_ASSIGN_OR_RETURN(found, q->Step());
  return Status::Ok();
}

Result<int64_t> ChatStore::Insert(const NewChatLog& log, const std::function<Result<bool>(Conversation&)>& next,
                                  store::AuditAppender* audit, std::optional<std::pair<int64_t, int64_t>> counts) {
  SG_ASSIGN_OR_RETURN(auto insert_log, conn_.Prepare(
      "INSERT INTO chat_logs (report_id, case_ref, source_name, format, created_at, created_by, conversations,"
      " messages, analysis, analysed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  const std::string now = NowUtc();
  SG_RETURN_IF_ERROR(insert_log->Bind({store::Nullable(log.report_id), store::Nullable(log.case_ref), log.source_name,
                                       log.format, now, log.actor, counts ? counts->first : 0,
                                       counts ? counts->second : 0, store::Nullable(log.analysis),
                                       log.analysis ? Value(now) : Value()}));
  SG_ASSIGN_OR_RETURN(bool row, insert_log->Step());
  if (!row) return Internal("INSERT ... RETURNING id returned no row");
  const int64_t id = insert_log->Int(0);
  SG_ASSIGN_OR_RETURN(row, insert_log->Step());

  SG_ASSIGN_OR_RETURN(auto insert_conv, conn_.Prepare(
      "INSERT INTO chat_conversations (log_id, conv_index, conversation, platform) VALUES (?, ?, ?, ?)"));
  // Multi-row: a report's chat[] is a few messages, a seized log millions.
  store::RowInserter insert_msg(
      conn_, "INSERT INTO chat_messages (log_id, conv_index, seq, line, author, time, minute_of_day, text)", 8);
  int64_t conversations = 0, messages = 0;
  Conversation c;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool more, next(c));
    if (!more) break;
    SG_RETURN_IF_ERROR(RunToEnd(*insert_conv, {id, conversations, c.id, c.platform}));
    for (size_t k = 0; k < c.messages.size(); ++k) {
      const Message& m = c.messages[k];
      std::optional<int64_t> minute;
      if (m.minute_of_day) minute = *m.minute_of_day;
      SG_RETURN_IF_ERROR(insert_msg.Add({id, conversations, static_cast<int64_t>(k), static_cast<int64_t>(m.line),
                                         m.author, m.time ? Value(FormatUtc(*m.time)) : Value(),
                                         store::Nullable(minute), m.text}));
    }
    ++conversations;
    messages += static_cast<int64_t>(c.messages.size());
  }
  SG_RETURN_IF_ERROR(insert_msg.Flush());
  if (!counts) {  // a stream: counted as it was read
    SG_RETURN_IF_ERROR(conn_.Exec("UPDATE chat_logs SET conversations = ?, messages = ? WHERE id = ?",
                                  {conversations, messages, id}).status());
  }
  const store::AuditEntry entry{log.actor, "chat_log.create", "chat_log", std::to_string(id), log.address,
                                fmt::format(R"({{"conversations": {}, "messages": {}}})", conversations, messages)};
  if (audit != nullptr) {
    SG_RETURN_IF_ERROR(audit->Append(entry).status());
  } else {
    SG_RETURN_IF_ERROR(store::AppendAudit(conn_, entry).status());
  }
  return id;
}

Result<int64_t> ChatStore::SaveLog(const NewChatLog& log, ConversationReader& reader) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_RETURN_IF_ERROR(CheckReport(log));
  SG_ASSIGN_OR_RETURN(int64_t id, Insert(log, [&](Conversation& c) { return reader.Next(c); }, nullptr, std::nullopt));
  SG_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<int64_t> ChatStore::SaveLog(const NewChatLog& log, const std::vector<Conversation>& conversations) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_RETURN_IF_ERROR(CheckReport(log));
  SG_ASSIGN_OR_RETURN(int64_t id, AddLog(log, conversations));
  SG_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<int64_t> ChatStore::AddLog(const NewChatLog& log, const std::vector<Conversation>& conversations,
                                  store::AuditAppender* audit) {
  size_t i = 0;
  int64_t messages = 0;
  for (const Conversation& c : conversations) messages += static_cast<int64_t>(c.messages.size());
  return Insert(log, [&](Conversation& c) -> Result<bool> {
    if (i >= conversations.size()) return false;
    c = conversations[i++];
    return true;
  }, audit, std::make_pair(static_cast<int64_t>(conversations.size()), messages));
}

Result<std::optional<ChatLogInfo>> ChatStore::GetLog(int64_t id) {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format("SELECT {} FROM chat_logs WHERE id = ?", kLogColumns)));
  SG_RETURN_IF_ERROR(q->Bind({id}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<ChatLogInfo>();
  ChatLogInfo info = ReadInfo(*q);
  SG_ASSIGN_OR_RETURN(row, q->Step());
  return std::optional<ChatLogInfo>(std::move(info));
}

Result<std::vector<ChatLogInfo>> ChatStore::LogsForReport(int64_t report_id) {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(
      fmt::format("SELECT {} FROM chat_logs WHERE report_id = ? ORDER BY id", kLogColumns)));
  SG_RETURN_IF_ERROR(q->Bind({report_id}));
  std::vector<ChatLogInfo> out;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return out;
    out.push_back(ReadInfo(*q));
  }
}

Status ChatStore::ForEachConversation(int64_t id, const std::function<Status(Conversation&)>& fn) {
  SG_ASSIGN_OR_RETURN(auto info, GetLog(id));
  if (!info) return NotFound(fmt::format("chat log {} does not exist", id));
  // One ordered scan of the messages beside one of the conversations: a
  // conversation is complete when the next one's first message appears.
  SG_ASSIGN_OR_RETURN(auto convs, conn_.Prepare(
      "SELECT conv_index, conversation, platform FROM chat_conversations WHERE log_id = ? ORDER BY conv_index"));
  SG_ASSIGN_OR_RETURN(auto msgs, conn_.Prepare(
      "SELECT conv_index, line, author, time, minute_of_day, text FROM chat_messages WHERE log_id = ?"
      " ORDER BY conv_index, seq"));
  SG_RETURN_IF_ERROR(convs->Bind({id}));
  SG_RETURN_IF_ERROR(msgs->Bind({id}));
  // Conversations first: on PostgreSQL, starting the second query buffers
  // what is left of the first, which must be the short list, not the messages.
  SG_ASSIGN_OR_RETURN(bool conv_row, convs->Step());
  SG_ASSIGN_OR_RETURN(bool have_msg, msgs->Step());
  Conversation c;
  while (conv_row) {
    const int64_t index = convs->Int(0);
    c.id = convs->Text(1);
    c.platform = convs->Text(2);
    c.source = info->source_name;
    c.messages.clear();
    while (have_msg && msgs->Int(0) == index) {
      Message m;
      m.line = static_cast<uint64_t>(msgs->Int(1));
      m.author = msgs->Text(2);
      if (!msgs->IsNull(3)) {
        SG_ASSIGN_OR_RETURN(auto t, ParseRfc3339(msgs->Text(3)));
        m.time = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
      }
      if (!msgs->IsNull(4)) m.minute_of_day = static_cast<int>(msgs->Int(4));
      m.text = msgs->Text(5);
      c.messages.push_back(std::move(m));
      SG_ASSIGN_OR_RETURN(have_msg, msgs->Step());
    }
    SG_RETURN_IF_ERROR(fn(c));
    SG_ASSIGN_OR_RETURN(conv_row, convs->Step());
  }
  return Status::Ok();
}

Result<std::vector<Conversation>> ChatStore::LoadLog(int64_t id) {
  std::vector<Conversation> out;
  SG_RETURN_IF_ERROR(ForEachConversation(id, [&](Conversation& c) {
    out.push_back(std::move(c));
    c = Conversation();
    return Status::Ok();
  }));
  return out;
}

Status ChatStore::SaveAnalysis(int64_t log_id, std::string_view json, std::string_view actor, std::string_view address) {
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_ASSIGN_OR_RETURN(int64_t changed, conn_.Exec("UPDATE chat_logs SET analysis = ?, analysed_at = ? WHERE id = ?",
                                                  {std::string(json), NowUtc(), log_id}));
  if (changed == 0) return NotFound(fmt::format("chat log {} does not exist", log_id));
  store::AuditEntry audit;
  audit.actor = std::string(actor);
  audit.action = "chat_log.analyse";
  audit.object_type = "chat_log";
  audit.object_id = std::to_string(log_id);
  audit.address = std::string(address);
  SG_RETURN_IF_ERROR(store::AppendAudit(conn_, audit).status());
  return tx.Commit();
}

Result<std::optional<std::string>> ChatStore::GetAnalysis(int64_t log_id) {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare("SELECT analysis FROM chat_logs WHERE id = ?"));
  SG_RETURN_IF_ERROR(q->Bind({log_id}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return NotFound(fmt::format("chat log {} does not exist", log_id));
  std::optional<std::string> out = q->OptText(0);
  SG_ASSIGN_OR_RETURN(row, q->Step());
  return out;
}

Status ChatStore::AuditRead(const std::vector<int64_t>& ids, std::string_view actor, std::string_view address) {
  std::vector<store::AuditEntry> entries;
  for (int64_t id : ids) {
    entries.push_back({std::string(actor), "chat_log.read", "chat_log", std::to_string(id), std::string(address), ""});
  }
  return store::AppendAuditEntries(conn_, entries);
}

}  // namespace sg::chat
