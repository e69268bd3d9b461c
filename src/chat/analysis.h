// Analyzer: the whole analysis of one conversation — indicators (one
// Vectorscan scan of the normalised conversation buffer), age claims and the
// scorecard — and the JSON every caller prints or stores.
//
// Entry points:
//   - Analyzer::Analyze(conversation, workspace): one conversation, for
//     streaming callers (the CLI runs it on worker threads).
//   - AnalyzeConversations(conversations, analyzer): a batch (a report's
//     chat[] at intake, an API handler) to one JSON object
//     {"conversations": [...], "authors": [...]}, the lines the CLI prints.
// Evidence is (conversation, line) and rule ids; message text appears only
// when `reveal` is set — callers outside the CLI must audit that act.
// Thread safety: Analyzer is immutable after Create and shared by threads,
// each with its own Workspace (AnalyzeConversations borrows one from the
// analyzer's pool: a Vectorscan scratch costs far more to allocate than a
// report's chat[] costs to scan).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "chat/ages.h"
#include "chat/conversation.h"
#include "chat/indicator_matcher.h"
#include "chat/scan_buffer.h"
#include "chat/score.h"

namespace sg::chat {

struct AnalyzerOptions {
  std::string data_dir;   // holds lexicon.tsv and scorecard.tsv; empty: DefaultChatDataDir()
  std::string cache_dir;  // compiled lexicon cache; empty: no disk cache
};

struct Indicator {
  uint32_t rule = 0;        // index into the lexicon
  size_t message = 0;       // index in the conversation
  uint64_t line = 0;
  uint32_t begin = 0, end = 0;  // the matched span in the original message text
};

struct ConversationAnalysis {
  std::string conversation, source, platform;
  std::vector<std::string> authors;   // in order of first message
  std::vector<int> raised;            // per author: messages with an indicator they sent
  std::vector<Indicator> indicators;  // in message order
  std::vector<AgeClaim> ages;
  ScoreBreakdown score;
  size_t messages = 0;
  uint64_t bytes = 0;                 // message text bytes
};

class Analyzer {
 public:
  struct Workspace {
    ScanBuffer buffer;
    std::vector<Hit> hits;
    std::unique_ptr<IndicatorMatcher::Scratch> scratch;
  };

  static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options);

  Result<ConversationAnalysis> Analyze(const Conversation& conversation, Workspace& ws) const;

  const Lexicon& lexicon() const { return matcher_->lexicon(); }
  const Scorecard& scorecard() const { return card_; }
  bool lexicon_from_cache() const { return matcher_->loaded_from_cache(); }

  // A workspace from the pool (a new one if it is empty), and back. Any
  // thread.
  std::unique_ptr<Workspace> TakeWorkspace() const;
  void GiveWorkspace(std::unique_ptr<Workspace> ws) const;

 private:
  static constexpr size_t kMaxPooled = 64;  // one per thread that analyses at once is enough

  std::unique_ptr<IndicatorMatcher> matcher_;
  Scorecard card_;
  mutable std::mutex pool_mu_;
  mutable std::vector<std::unique_ptr<Workspace>> pool_;
};

// The conversation line of `chat analyze --json`. With `reveal`, each
// indicator and age claim carries its "text" (the original span).
boost::json::object ConversationJson(const ConversationAnalysis& a, const Lexicon& lexicon,
                                     const Conversation* reveal);

// The original text of [begin, end) in `text`, widened to whole UTF-8
// characters: what --reveal shows for an indicator or an age claim.
std::string EvidenceText(const std::string& text, uint32_t begin, uint32_t end);

// Analyses a batch in memory: {"conversations": [...], "authors": [...]}.
Result<boost::json::object> AnalyzeConversations(const std::vector<Conversation>& conversations,
                                                 const Analyzer& analyzer, bool reveal = false);

}  // namespace sg::chat
