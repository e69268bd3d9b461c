// Shared by the JSON-lines and CSV readers: turning one record's fields into
// a Message, and grouping consecutive records with the same conversation id
// into one Conversation. Internal to the importers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "chat/conversation.h"
#include "core/result.h"

namespace sg::chat {

// One record, its text fields already valid UTF-8.
struct Record {
  std::string conversation;
  std::string platform;
  Message message;
};

// Sets message.time and minute_of_day from an RFC 3339 text; "" leaves both
// absent. The error names the field ("time: ...") without the location.
Status SetTime(std::string_view text, Message& message);

// Consecutive records with the same conversation id form one conversation.
// Memory: one conversation plus the one record that ended it.
class Grouper {
 public:
  // Adds `record`; true when it started a new conversation and the previous
  // one is now complete in `out`.
  bool Add(Record record, const std::string& source, Conversation& out);
  // At the end of input: true and the last conversation in `out`, if any.
  bool Finish(Conversation& out);

 private:
  Conversation current_;
  bool has_current_ = false;
};

}  // namespace sg::chat
