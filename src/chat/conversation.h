// The chat model every importer produces and every analysis reads: one
// conversation at a time, its messages in file order. Importers stream
// (src/chat/import/): a multi-GB log is read one conversation at a time, so
// memory is bounded by the largest conversation, not the file.
//
// `line` is where the message starts in its source file (1-based), the
// reference that evidence points at: `(conversation, line)`. For chat that
// came with a report (intake's chat[]), `line` is the message's 1-based
// position in that array.
// Thread safety: plain value types.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sg::chat {

using Time = std::chrono::sys_time<std::chrono::milliseconds>;

struct Message {
  std::string author;         // as given; may be empty when the source has none
  std::optional<Time> time;   // absent when the source has none or it is unreadable as a time
  // The wall-clock minute of the day (0..1439) as the sender's clock showed
  // it, for the scorer's time-of-day term: PAN-2012 gives only HH:MM (so
  // `time` is absent there), RFC 3339 sources give it before their offset
  // is applied, WhatsApp exports in the phone's local time.
  std::optional<int> minute_of_day;
  std::string text;           // UTF-8, as given (importers replace invalid UTF-8 with U+FFFD)
  uint64_t line = 0;          // 1-based line in the source file where this message starts
};

struct Conversation {
  std::string id;             // the source's conversation id (PAN-2012 id, jsonl `conversation`, ...)
  std::string platform;       // optional: empty when unknown
  std::string source;         // where it came from, for messages: a file name or "report 42"
  std::vector<Message> messages;
};

}  // namespace sg::chat
