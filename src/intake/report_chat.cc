#include "intake/report_chat.h"

#include <chrono>

namespace sg::intake {

chat::Conversation ReportChatConversation(const Report& report) {
  chat::Conversation c;
  c.id = std::string(kReportChatConversation);
  c.platform = report.platform.value_or("");
  c.source = "report chat[]";
  c.messages.reserve(report.chat.size());
  for (size_t i = 0; i < report.chat.size(); ++i) {
    const ChatMessage& m = report.chat[i];
    chat::Message out{m.author.value_or(""), m.time, m.text, i + 1, std::nullopt};
    if (m.time) {
      const auto since_midnight = *m.time - std::chrono::floor<std::chrono::days>(*m.time);
      out.minute_of_day = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
    }
    c.messages.push_back(std::move(out));
  }
  return c;
}

}  // namespace sg::intake
