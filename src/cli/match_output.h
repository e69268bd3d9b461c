// The JSON form of list matches, shared by `match` and `scan`.
#pragma once

#include <boost/json.hpp>

#include "matching/matcher.h"

namespace sg::cli {

// {"list", "kind", "hash", "distance", "variant", "category", "series",
//  "victim_identified", "label"}; absent values are null.
boost::json::object MatchJson(const matching::Match& m);
boost::json::array MatchesJson(const std::vector<matching::Match>& matches);

}  // namespace sg::cli
