// Chat logs attached to a report or a case (step 6), written by the chat
// module's ChatStore (src/chat/chat_store.h), which knows what the columns
// mean. A log keeps its conversations in the order the reader yielded them
// (a JSON-lines id that reappears is a second chunk with the same id) and
// each message with its source line, so evidence `(conversation, line)`
// found in a stored log points at the file that was attached.
#include "store/schema_parts.h"

namespace sg::store {

std::vector<Migration> ChatMigrations() {
  return {
      {6, "chat logs, their conversations and messages, and their analysis",
       // SQLite
       R"sql(
CREATE TABLE chat_logs (
  id INTEGER PRIMARY KEY,
  report_id INTEGER REFERENCES reports(id) ON DELETE CASCADE,  -- NULL when not attached to a report
  case_ref TEXT,                    -- a case reference, NULL when none
  source_name TEXT NOT NULL,        -- the attached file's name
  format TEXT NOT NULL,             -- pan12, jsonl, csv, whatsapp (chat/import/reader.h), report (a report's chat[])
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,         -- the principal: user:3, token:7, cli:alice
  conversations INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  analysis TEXT,                    -- the chat analysis as JSON, NULL until analysed
  analysed_at TEXT
);
CREATE INDEX chat_logs_report ON chat_logs (report_id) WHERE report_id IS NOT NULL;
CREATE INDEX chat_logs_case ON chat_logs (case_ref) WHERE case_ref IS NOT NULL;

CREATE TABLE chat_conversations (
  log_id INTEGER NOT NULL REFERENCES chat_logs(id) ON DELETE CASCADE,
  conv_index INTEGER NOT NULL,      -- order within the log
  conversation TEXT NOT NULL,       -- the source's id
  platform TEXT NOT NULL,           -- "" when unknown
  PRIMARY KEY (log_id, conv_index)
);

CREATE TABLE chat_messages (
  log_id INTEGER NOT NULL,
  conv_index INTEGER NOT NULL,
  seq INTEGER NOT NULL,             -- order within the conversation
  line INTEGER NOT NULL,            -- 1-based line in the source file
  author TEXT NOT NULL,
  time TEXT,                        -- RFC 3339 UTC, NULL when the source has none
  minute_of_day INTEGER,            -- the sender's wall-clock minute, NULL when unknown
  text TEXT NOT NULL,
  PRIMARY KEY (log_id, conv_index, seq),
  FOREIGN KEY (log_id, conv_index) REFERENCES chat_conversations (log_id, conv_index) ON DELETE CASCADE
);
)sql",
       // PostgreSQL
       R"sql(
CREATE TABLE chat_logs (
  id BIGSERIAL PRIMARY KEY,
  report_id BIGINT REFERENCES reports(id) ON DELETE CASCADE,
  case_ref TEXT COLLATE "C",
  source_name TEXT NOT NULL,
  format TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  conversations BIGINT NOT NULL,
  messages BIGINT NOT NULL,
  analysis TEXT,
  analysed_at TEXT COLLATE "C"
);
CREATE INDEX chat_logs_report ON chat_logs (report_id) WHERE report_id IS NOT NULL;
CREATE INDEX chat_logs_case ON chat_logs (case_ref) WHERE case_ref IS NOT NULL;

CREATE TABLE chat_conversations (
  log_id BIGINT NOT NULL REFERENCES chat_logs(id) ON DELETE CASCADE,
  conv_index INTEGER NOT NULL,
  conversation TEXT COLLATE "C" NOT NULL,
  platform TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (log_id, conv_index)
);

CREATE TABLE chat_messages (
  log_id BIGINT NOT NULL,
  conv_index INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line BIGINT NOT NULL,
  author TEXT NOT NULL,
  time TEXT COLLATE "C",
  minute_of_day INTEGER,
  text TEXT NOT NULL,
  PRIMARY KEY (log_id, conv_index, seq),
  FOREIGN KEY (log_id, conv_index) REFERENCES chat_conversations (log_id, conv_index) ON DELETE CASCADE
);
)sql"},
  };
}

}  // namespace sg::store
