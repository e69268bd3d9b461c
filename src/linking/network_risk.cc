#include "linking/network_risk.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "core/time.h"

namespace sg::linking {
namespace {

constexpr int kPointsPerChildVictim = 15;
constexpr int64_t kMaxChildVictimsCounted = 10;
constexpr int kPointsPerYearUnder18 = 3;
constexpr int kCategoryAPoints = 40;
constexpr int kImmediateDangerPoints = 60;
constexpr int kMaxSizePoints = 20;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

int RecencyPoints(int64_t days) {
  if (days <= 30) return 30;
  if (days <= 180) return 15;
  if (days <= 365) return 5;
  return 0;
}

}  // namespace

Risk ScoreNetwork(const Graph& graph, const std::vector<size_t>& members, int64_t now_ms) {
  int64_t child_victims = 0, victims = 0, offenders = 0, latest_ms = 0;
  std::optional<int> youngest;
  bool category_a = false, danger = false;
  for (size_t i : members) {
    const GraphPerson& p = graph.persons[i];
    if (p.victim && !(p.youngest_age && *p.youngest_age >= 18)) ++child_victims;
    if (p.reported) ++offenders;
    if (p.victim) ++victims;
    if (p.victim && p.youngest_age && (!youngest || *p.youngest_age < *youngest)) youngest = p.youngest_age;
    category_a |= p.category_a;
    danger |= p.immediate_danger;
    latest_ms = std::max(latest_ms, p.latest_ms);
  }
  Risk risk;
  auto add = [&](std::string key, std::optional<int64_t> value, int points, std::string text) {
    risk.score += points;
    risk.reasons.push_back({std::move(key), value, points, std::move(text)});
  };
  add("child_victims", child_victims, kPointsPerChildVictim * static_cast<int>(std::min(child_victims, kMaxChildVictimsCounted)),
      child_victims == 1 ? "1 child victim" : fmt::format("{} child victims", child_victims));
  if (youngest) {
    add("youngest_victim_age", *youngest, kPointsPerYearUnder18 * std::max(0, 18 - *youngest),
        fmt::format("the youngest victim is about {}", *youngest));
  } else {
    add("youngest_victim_age", std::nullopt, 0, "no victim's age is known");
  }
  add("category_a", category_a ? 1 : 0, category_a ? kCategoryAPoints : 0,
      category_a ? "category A material was reported" : "no category A material was reported");
  add("immediate_danger", danger ? 1 : 0, danger ? kImmediateDangerPoints : 0,
      danger ? "a report says a child is in immediate danger" : "no report says a child is in immediate danger");
  const int64_t days = std::max<int64_t>(0, (now_ms - latest_ms) / kDayMs);
  const auto latest = std::chrono::system_clock::time_point(std::chrono::milliseconds(latest_ms));
  add("recency", days, RecencyPoints(days),
      fmt::format("the latest report is {} days old ({})", days, FormatUtc(latest).substr(0, 10)));
  const int64_t size = static_cast<int64_t>(members.size());
  add("size", size, static_cast<int>(std::min<int64_t>(std::max<int64_t>(size - 1, 0), kMaxSizePoints)),
      fmt::format("{} persons: {} reported, {} victims", size, offenders, victims));
  return risk;
}

}  // namespace sg::linking
