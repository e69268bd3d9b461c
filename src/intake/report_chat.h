// A report's chat[] as the chat module's model, so the chat analysis reads
// it exactly as it reads an imported log: one conversation ("chat"), the
// messages in order, `line` = the message's 1-based position in chat[]
// (the evidence reference), minute_of_day from the message time (UTC).
// Thread safety: pure functions.
#pragma once

#include "chat/conversation.h"
#include "intake/report.h"

namespace sg::intake {

inline constexpr std::string_view kReportChatConversation = "chat";

// Empty messages when the report has no chat.
chat::Conversation ReportChatConversation(const Report& report);

}  // namespace sg::intake
