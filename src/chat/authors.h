// AuthorAggregator: what is known about each author across conversations:
// their age claims combined, the distinct minors they talk to (the contact
// graph's adult <-> minor edges), their best score among the conversations
// where they raised most indicators, and the
// opening messages they reuse near-identically with different partners.
// Feed it every ConversationAnalysis (any order), then call Finish().
// Memory: per author, a few numbers, the partner names and up to
// kMaxOpenings normalised openings (160 bytes each); never message text.
// Thread safety: not thread-safe; one aggregator per run, fed from one thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "chat/analysis.h"

namespace sg::chat {

struct AuthorResult {
  std::string author;
  double score = 0;
  std::vector<Term> terms;
  size_t conversations = 0, flagged = 0;
  std::vector<std::string> minors;       // distinct partners whose disclosed age is a minor's
  std::optional<AuthorAge> age;
  size_t reused_opening = 0;             // partners who got the same (near-identical) opening
};

class AuthorAggregator {
 public:
  static constexpr size_t kMaxOpenings = 256;

  void Add(const Conversation& conversation, const ConversationAnalysis& analysis);
  // Takes in everything `other` was fed (a file's aggregator, once the file
  // has been read completely).
  void Merge(AuthorAggregator&& other);
  size_t authors() const { return authors_.size(); }
  // Authors ranked by score, highest first (ties by name).
  std::vector<AuthorResult> Finish(const Scorecard& card) const;

 private:
  struct Opening {
    std::string text;     // normalised, letters and spaces only, at most 160 bytes
    std::string partner;  // the first other author of that conversation
  };
  struct State {
    size_t conversations = 0, flagged = 0;
    double best = -1e300;
    std::set<std::string> partners;
    std::vector<Opening> openings;
  };
  std::map<std::string, State> authors_;
  std::vector<AgeClaim> claims_;
};

// Near-identical: equal, or within an edit distance of 15% of the longer.
bool NearIdentical(const std::string& a, const std::string& b);
// The opening's comparable form: NormalizeForMatching, then letters and single spaces.
std::string OpeningKey(std::string_view text);

boost::json::object AuthorJson(const AuthorResult& a);

}  // namespace sg::chat
