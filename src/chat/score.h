// Scorecard and the conversation score: an additive log-odds scorecard whose
// weights live in data/chat/scorecard.tsv, and the features of one analysed
// conversation it is applied to. Every term's value and contribution are
// reported, and the contributions sum to the score (ScoreConversation).
// Thread safety: Scorecard is immutable once loaded; functions are pure.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "chat/lexicon.h"
#include "core/result.h"

namespace sg::chat {

class Scorecard {
 public:
  static Result<Scorecard> Parse(std::string_view text, std::string_view path);
  static Result<Scorecard> Load(const std::string& path);

  // The weight of `term`; 0 when the scorecard does not name it.
  double Get(std::string_view term) const;
  const std::string& version() const { return version_; }

 private:
  std::string version_;
  std::map<std::string, double, std::less<>> weights_;
};

struct Term {
  std::string name;
  double value = 0;         // the feature
  double contribution = 0;  // weight x value
};

struct ScoreBreakdown {
  double score = 0;
  bool flagged = false;
  std::vector<Term> terms;  // contributions sum to score
};

// What the scorecard reads from one conversation.
struct ConversationFeatures {
  // Per category: strongest rule weight matched and the number of messages.
  double strength[kCategoryCount] = {};
  int messages_with[kCategoryCount] = {};
  int distinct_stages = 0;
  int first_late_stage_message = -1;  // index of the first message at stage >= risk
  int indicator_messages = 0;         // messages with any indicator
  double top_initiator_share = 0;     // share of those sent by the most active author
  bool minor_present = false, adult_present = false;
  int age_gap = 0;                    // oldest adult minus youngest minor, when both
  bool peers = false, both_adults = false;
  int timed_messages = 0, late_messages = 0;
};

ScoreBreakdown ScoreConversation(const ConversationFeatures& f, const Scorecard& card);

}  // namespace sg::chat
