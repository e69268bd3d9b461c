#include "chat/authors.h"

#include <algorithm>
#include <cmath>

#include "chat/scan_buffer.h"

namespace sg::chat {
namespace {

constexpr size_t kMaxOpeningBytes = 160;

size_t EditDistance(const std::string& a, const std::string& b, size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;  // every path is already over
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

double Round2(double v) { return std::round(v * 100) / 100; }

}  // namespace

std::string OpeningKey(std::string_view text) {
  std::string n = NormalizeForMatching(text);
  std::string out;
  for (unsigned char c : n) {
    if (c >= 'a' && c <= 'z') out.push_back(static_cast<char>(c));
    else if (!out.empty() && out.back() != ' ') out.push_back(' ');
    if (out.size() >= kMaxOpeningBytes) break;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool NearIdentical(const std::string& a, const std::string& b) {
  if (a == b) return true;
  size_t longer = std::max(a.size(), b.size());
  size_t limit = longer * 15 / 100;
  return limit > 0 && EditDistance(a, b, limit) <= limit;
}

void AuthorAggregator::Add(const Conversation& c, const ConversationAnalysis& a) {
  claims_.insert(claims_.end(), a.ages.begin(), a.ages.end());
  int most = 0;
  for (int r : a.raised) most = std::max(most, r);
  for (size_t k = 0; k < a.authors.size(); ++k) {
    const std::string& author = a.authors[k];
    State& s = authors_[author];
    ++s.conversations;
    // A conversation's score counts for the author who raised most of its
    // indicators (ties: each of them), not for the child who answered.
    bool led = most > 0 && a.raised[k] == most;
    if (led) {
      if (a.score.flagged) ++s.flagged;
      s.best = std::max(s.best, a.score.score);
    }
    std::string first_partner;
    for (const std::string& other : a.authors) {
      if (other == author) continue;
      s.partners.insert(other);
      if (first_partner.empty()) first_partner = other;
    }
    // The author's opening: their first message, when it is among the first
    // three of the conversation (they started it or answered at once).
    for (size_t m = 0; m < c.messages.size() && m < 3; ++m) {
      if (c.messages[m].author != author) continue;
      std::string key = OpeningKey(c.messages[m].text);
      // Short greetings ("hi", "hey u") are everyone's opening, not a script.
      if (key.size() >= 20 && s.openings.size() < kMaxOpenings) s.openings.push_back({std::move(key), first_partner});
      break;
    }
  }
}

void AuthorAggregator::Merge(AuthorAggregator&& other) {
  claims_.insert(claims_.end(), std::make_move_iterator(other.claims_.begin()),
                 std::make_move_iterator(other.claims_.end()));
  for (auto& [author, o] : other.authors_) {
    State& s = authors_[author];
    s.conversations += o.conversations;
    s.flagged += o.flagged;
    s.best = std::max(s.best, o.best);
    s.partners.insert(o.partners.begin(), o.partners.end());
    for (Opening& op : o.openings) {
      if (s.openings.size() >= kMaxOpenings) break;
      s.openings.push_back(std::move(op));
    }
  }
  other.authors_.clear();
  other.claims_.clear();
}

std::vector<AuthorResult> AuthorAggregator::Finish(const Scorecard& card) const {
  std::vector<AuthorAge> ages = CombineAgeClaims(claims_);
  std::map<std::string_view, const AuthorAge*> age_of;
  for (const AuthorAge& a : ages) age_of[a.author] = &a;
  std::vector<AuthorResult> out;
  for (const auto& [author, s] : authors_) {
    AuthorResult r;
    r.author = author;
    r.conversations = s.conversations;
    r.flagged = s.flagged;
    if (auto it = age_of.find(author); it != age_of.end()) r.age = *it->second;
    for (const std::string& p : s.partners) {
      auto it = age_of.find(p);
      if (it != age_of.end() && it->second->minor()) r.minors.push_back(p);
    }
    // Clusters of near-identical openings; the largest by distinct partners.
    std::vector<std::pair<const std::string*, std::set<std::string>>> clusters;
    for (const Opening& o : s.openings) {
      bool placed = false;
      for (auto& [rep, partners] : clusters) {
        if (NearIdentical(*rep, o.text)) {
          partners.insert(o.partner);
          placed = true;
          break;
        }
      }
      if (!placed && clusters.size() < 64) clusters.push_back({&o.text, {o.partner}});
    }
    for (const auto& cl : clusters) r.reused_opening = std::max(r.reused_opening, cl.second.size());
    if (r.reused_opening < 2) r.reused_opening = 0;
    // No conversation where they raised the indicators: the prior alone.
    r.terms.push_back(Term{"best_conversation", 1, s.best > -1e299 ? s.best : card.Get("intercept")});
    bool is_minor = r.age && r.age->minor();
    if (!is_minor && !r.minors.empty()) {
      double v = std::log2(1.0 + static_cast<double>(r.minors.size()));
      r.terms.push_back(Term{"author.minors", v, v * card.Get("author.minors")});
    }
    if (r.reused_opening >= 2) {
      double v = std::log2(static_cast<double>(r.reused_opening));
      r.terms.push_back(Term{"author.reused_opening", v, v * card.Get("author.reused_opening")});
    }
    if (r.flagged > 1) {
      double v = std::log2(static_cast<double>(r.flagged));
      r.terms.push_back(Term{"author.flagged", v, v * card.Get("author.flagged")});
    }
    for (const Term& t : r.terms) r.score += t.contribution;
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const AuthorResult& a, const AuthorResult& b) {
    return a.score != b.score ? a.score > b.score : a.author < b.author;
  });
  return out;
}

boost::json::object AuthorJson(const AuthorResult& a) {
  boost::json::object o;
  o["type"] = "author";
  o["author"] = a.author;
  o["score"] = Round2(a.score);
  o["minors_contacted"] = a.minors.size();
  if (a.age) {
    o["estimated_age"] = a.age->low;
    o["age_range"] = boost::json::array{a.age->low, a.age->high};
    if (a.age->conflicting) o["age_conflict"] = true;
  } else {
    o["estimated_age"] = nullptr;
  }
  o["conversations"] = a.conversations;
  o["flagged_conversations"] = a.flagged;
  if (a.reused_opening) o["reused_opening"] = a.reused_opening;
  boost::json::array minors;
  for (const auto& m : a.minors) minors.emplace_back(m);
  o["minors"] = std::move(minors);
  boost::json::array terms;
  for (const Term& t : a.terms) {
    terms.push_back(boost::json::object{
        {"term", t.name}, {"value", Round2(t.value)}, {"contribution", Round2(t.contribution)}});
  }
  o["terms"] = std::move(terms);
  return o;
}

}  // namespace sg::chat
