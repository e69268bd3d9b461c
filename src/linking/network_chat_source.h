// The chat side of the network graph, read from the store: the stored
// analysis of every chat log (chat_logs.analysis, schema step 6) reduced to
// ChatConversationFacts (network_graph.h), each author joined to persons by
// screen name on the conversation's platform, as the chat API joins them
// (persons.h PersonsWithScreenName).
//
// Why linking reads stored JSON instead of calling the chat module: linking
// comes before chat in the module order and may not call it, and the
// analysis is already stored when a log is attached (by the API, the CLI or
// intake for a report's chat[]). Reading it here puts chat edges into
// LoadGraphInput, so every caller of the networks (the CLI, the HTTP API
// and its cache) gets them from one place. The contract is the analysis
// JSON of chat/analysis.h (AnalyzeConversations); the keys read are:
//   conversations[]  "conversation", "platform" (absent: unknown), "flagged",
//                    "authors" (names), "indicators"[].line, "ages"[].line
//   authors[]        "author", "age_range" [low, high] (absent: no age disclosed)
// A test in tests/linking feeds the chat analysis's own output through it.
//
// Not loaded: conversations without a platform (the name would be looked up
// on every platform: a lead, not a link), authors no person holds, and
// conversations with fewer than two joined authors (no edge is possible).
// Chunks of one conversation (a JSON-lines id that reappears) are merged.
// A log whose analysis is not in this shape is skipped and counted.
//
// Thread safety: as the Connection (one thread at a time).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "linking/network_graph.h"
#include "store/database.h"

namespace sg::linking {

struct ChatFacts {
  std::vector<ChatConversationFacts> conversations;
  size_t logs = 0;             // analysed logs read
  size_t unreadable_logs = 0;  // skipped: the analysis is not in the shape above
  size_t no_platform = 0;      // conversations skipped for naming no platform
};

Result<ChatFacts> LoadChatFacts(store::Connection& conn);

// One stored analysis as conversations with their authors' names and
// disclosed ages, persons not joined yet (person_ids empty); conversations
// without a platform are left out and counted in `no_platform`.
// InvalidArgument when the JSON is not an analysis.
struct ParsedChatConversation {
  ChatConversationFacts facts;
  std::string platform;
};
Result<std::vector<ParsedChatConversation>> ParseChatAnalysis(int64_t chat_log_id, std::string_view json,
                                                              size_t* no_platform = nullptr);

}  // namespace sg::linking
