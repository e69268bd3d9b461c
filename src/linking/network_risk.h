// The risk rank of a network: an additive score whose every term is
// reported, so an analyst (and a test) can see why one network ranks above
// another. Each term is a RiskReason with a machine-readable key, the
// measured value, the points it adds and a sentence for people. The score
// is exactly the sum of the points. Terms, always all six, in this order:
//
//   child_victims        victims not known to be adults: 15 points each, at most 10 counted
//   youngest_victim_age  the lowest approximate_age of a victim: 3 x (18 - age), 0 if unknown
//   category_a           category A material (A1/A2, or a list's category A) in a report: 40
//   immediate_danger     a report escalated as immediate danger: 60
//   recency              days since the latest report: 30 within 30 days, 15 within 180,
//                        5 within 365, else 0
//   size                 persons in the network: 1 point each beyond the first, at most 20
//
// The weights put a child in danger now above everything else, then many or
// very young victims, then material, then how fresh and how big it is.
// They are a starting point for the unit to tune, kept in one place here.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "linking/network_graph.h"

namespace sg::linking {

struct RiskReason {
  std::string key;
  std::optional<int64_t> value;  // nullopt when unknown (no victim age given)
  int points = 0;
  std::string text;
};

struct Risk {
  int score = 0;
  std::vector<RiskReason> reasons;
};

// The risk of the network made of `members` (indices into graph.persons).
Risk ScoreNetwork(const Graph& graph, const std::vector<size_t>& members, int64_t now_ms);

}  // namespace sg::linking
