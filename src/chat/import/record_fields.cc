#include "chat/import/record_fields.h"

#include <fmt/format.h>

#include "chat/import/readers.h"
#include "core/time.h"

namespace sg::chat {

int MinuteOfDayRfc3339(std::string_view text) {
  // ParseRfc3339 accepted it, so "YYYY-MM-DDTHH:MM" is there.
  const auto d = [&](size_t i) { return text[i] - '0'; };
  return (d(11) * 10 + d(12)) * 60 + d(14) * 10 + d(15);
}

Status SetTime(std::string_view text, Message& message) {
  message.time.reset();
  message.minute_of_day.reset();
  if (text.empty()) return Status::Ok();
  auto t = ParseRfc3339(text);
  if (!t.ok()) return InvalidArgument(fmt::format("time: {}", t.status().message()));
  message.time = std::chrono::time_point_cast<std::chrono::milliseconds>(*t);
  message.minute_of_day = MinuteOfDayRfc3339(text);
  return Status::Ok();
}

bool Grouper::Add(Record record, const std::string& source, Conversation& out) {
  bool completed = false;
  if (has_current_ && record.conversation != current_.id) {
    out = std::move(current_);
    current_ = Conversation();
    has_current_ = false;
    completed = true;
  }
  if (!has_current_) {
    current_.id = std::move(record.conversation);
    current_.platform = std::move(record.platform);
    current_.source = source;
    current_.messages.clear();
    has_current_ = true;
  } else if (current_.platform.empty()) {
    current_.platform = std::move(record.platform);
  }
  current_.messages.push_back(std::move(record.message));
  return completed;
}

bool Grouper::Finish(Conversation& out) {
  if (!has_current_) return false;
  out = std::move(current_);
  current_ = Conversation();
  has_current_ = false;
  return true;
}

}  // namespace sg::chat
