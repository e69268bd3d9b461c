#include "chat/score.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/text.h"

namespace sg::chat {

Result<Scorecard> Scorecard::Parse(std::string_view text, std::string_view path) {
  Scorecard card;
  uint64_t line_no = 0;
  bool header = false;
  size_t pos = 0;
  std::string_view line;
  while (NextLine(text, &pos, &line)) {
    ++line_no;
    line = TrimAscii(line);
    if (line.empty()) continue;
    if (line.front() == '#') {
      constexpr std::string_view kVersion = "# scorecard-version:";
      if (line.starts_with(kVersion)) card.version_ = std::string(TrimAscii(line.substr(kVersion.size())));
      continue;
    }
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos || line.find('\t', tab + 1) != std::string_view::npos) {
      return InvalidArgument(fmt::format("{}:{}: expected 'term<TAB>weight'", path, line_no));
    }
    std::string_view name = line.substr(0, tab);
    std::string value(TrimAscii(line.substr(tab + 1)));
    if (!header) {
      if (name != "term" || value != "weight") {
        return InvalidArgument(fmt::format("{}:{}: expected the header 'term<TAB>weight'", path, line_no));
      }
      if (card.version_.empty()) {
        return InvalidArgument(fmt::format("{}:{}: no '# scorecard-version: N' line before the header", path, line_no));
      }
      header = true;
      continue;
    }
    char* end = nullptr;
    double w = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !std::isfinite(w)) {
      return InvalidArgument(fmt::format("{}:{}: weight '{}' of '{}' is not a number", path, line_no, value, name));
    }
    if (!card.weights_.emplace(std::string(name), w).second) {
      return InvalidArgument(fmt::format("{}:{}: term '{}' given twice", path, line_no, name));
    }
  }
  if (!header) return InvalidArgument(fmt::format("{}: no header line 'term<TAB>weight'", path));
  return card;
}

Result<Scorecard> Scorecard::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(fmt::format("{}: cannot open the scorecard", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

double Scorecard::Get(std::string_view term) const {
  auto it = weights_.find(term);
  return it == weights_.end() ? 0.0 : it->second;
}

ScoreBreakdown ScoreConversation(const ConversationFeatures& f, const Scorecard& card) {
  ScoreBreakdown out;
  auto add = [&](std::string name, double value, double weight) {
    if (value == 0) return;
    out.terms.push_back(Term{std::move(name), value, weight * value});
  };
  add("intercept", 1, card.Get("intercept"));
  for (int c = 0; c < kCategoryCount; ++c) {
    if (f.messages_with[c] == 0) continue;
    std::string name = fmt::format("category.{}", CategoryName(static_cast<Category>(c)));
    double value = std::min(1.5, f.strength[c] + 0.1 * (f.messages_with[c] - 1));
    add(name, value, card.Get(name));
  }
  add("stages", std::max(0, f.distinct_stages - 2), card.Get("stages"));
  if (f.first_late_stage_message >= 0 && f.first_late_stage_message <= card.Get("speed.messages")) {
    add("speed", 1, card.Get("speed"));
  }
  add("minor_present", f.minor_present ? 1 : 0, card.Get("minor_present"));
  if (f.minor_present && f.adult_present) {
    add("adult_minor", 1, card.Get("adult_minor"));
    add("age_gap", f.age_gap, card.Get("age_gap"));
  }
  add("peers", f.peers ? 1 : 0, card.Get("peers"));
  add("both_adults", f.both_adults ? 1 : 0, card.Get("both_adults"));
  if (f.indicator_messages >= 3 && f.top_initiator_share >= card.Get("initiative.share")) {
    add("initiative", f.top_initiator_share, card.Get("initiative"));
  }
  if (f.timed_messages > 0) {
    add("late_night", static_cast<double>(f.late_messages) / f.timed_messages, card.Get("late_night"));
  }
  for (const Term& t : out.terms) out.score += t.contribution;
  out.flagged = out.score > card.Get("threshold");
  return out;
}

}  // namespace sg::chat
