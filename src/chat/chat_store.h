// ChatStore: chat logs attached to a report or a case, kept in the database
// (schema step 6, src/store/schema_chat.cc) with every message and its source
// line, plus the analysis of each log as JSON.
//
// All or nothing: SaveLog reads the whole reader inside one write
// transaction; a reader error (FILE:LINE: reason) or a database error rolls
// everything back, so no log is ever half-imported. Creation and analysis
// are audited inside their transaction ("chat_log.create",
// "chat_log.analyse"); reads are audited by the caller, which knows who
// asked (AuditRead), as for reports.
//
// Who may call: the API handlers that attach a log and read its analysis,
// the CLI, and the chat analysis (SaveAnalysis).
// Thread safety: as the Connection (one thread at a time); the store does
// not own the connection, which must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/conversation.h"
#include "chat/import/reader.h"
#include "core/result.h"
#include "store/audit.h"
#include "store/database.h"

namespace sg::chat {

struct NewChatLog {
  std::optional<int64_t> report_id;   // the report it is attached to, if any
  std::optional<std::string> case_ref;
  std::string source_name;            // the attached file's name
  std::string format = "jsonl";       // FormatName (pan12, jsonl, csv, whatsapp), or "report": a report's chat[]
  std::optional<std::string> analysis;  // the analysis JSON, when it is known before the log is stored
  std::string actor;                  // "user:alice", "token:7", "cli:root": created_by and the audit entry
  std::string address;                // client IP address, "" for the command line
};

struct ChatLogInfo {
  int64_t id = 0;
  std::optional<int64_t> report_id;
  std::optional<std::string> case_ref;
  std::string source_name;
  std::string format;
  std::string created_at;             // RFC 3339 UTC
  std::string created_by;
  int64_t conversations = 0;
  int64_t messages = 0;
  std::optional<std::string> analysed_at;
};

class ChatStore {
 public:
  explicit ChatStore(store::Connection& conn) : conn_(conn) {}

  // Stores every conversation `reader` yields, in one transaction; returns
  // the new log's id. A reader error is returned as it is (FILE:LINE:
  // reason) and nothing is stored. NotFound when report_id names no report.
  Result<int64_t> SaveLog(const NewChatLog& log, ConversationReader& reader);
  // The same for conversations already in memory (a report's chat[]).
  Result<int64_t> SaveLog(const NewChatLog& log, const std::vector<Conversation>& conversations);
  // The same inside the caller's write transaction (intake stores a
  // report's chat[] in the report's own transaction); report_id, when set,
  // is not looked up first (the caller has just stored or checked it; the
  // foreign key still refuses a missing one). With `audit`, the
  // caller's appender writes the audit entry (one chain head read for a
  // whole batch; the caller must not append through another meanwhile).
  Result<int64_t> AddLog(const NewChatLog& log, const std::vector<Conversation>& conversations,
                         store::AuditAppender* audit = nullptr);

  // The log's description, or nullopt if there is none.
  Result<std::optional<ChatLogInfo>> GetLog(int64_t id);
  // The logs attached to a report, oldest first.
  Result<std::vector<ChatLogInfo>> LogsForReport(int64_t report_id);
  // Every conversation of a log in its stored order; NotFound if none.
  Result<std::vector<Conversation>> LoadLog(int64_t id);
  // The same one conversation at a time (a large log need not fit in
  // memory); stops at the first failed status `fn` returns.
  Status ForEachConversation(int64_t id, const std::function<Status(Conversation&)>& fn);

  // Replaces the log's analysis JSON (the chat analysis's output, stored as
  // given) and audits it; NotFound if there is no such log.
  Status SaveAnalysis(int64_t log_id, std::string_view json, std::string_view actor = "system:chat-analysis",
                      std::string_view address = "");
  // The analysis JSON, or nullopt if the log was not analysed; NotFound if
  // there is no such log.
  Result<std::optional<std::string>> GetAnalysis(int64_t log_id);

  // One "chat_log.read" audit entry per id, in one transaction.
  Status AuditRead(const std::vector<int64_t>& ids, std::string_view actor, std::string_view address);

 private:
  // Inserts a log and the conversations `next` yields, inside the caller's
  // transaction.
  // `counts` (conversations, messages) when known beforehand; else they are
  // counted while reading and written after.
  Result<int64_t> Insert(const NewChatLog& log, const std::function<Result<bool>(Conversation&)>& next,
                         store::AuditAppender* audit, std::optional<std::pair<int64_t, int64_t>> counts);
  // NotFound when log.report_id names no report.
  Status CheckReport(const NewChatLog& log);

  store::Connection& conn_;
};

}  // namespace sg::chat
