#include "cli/match_output.h"

namespace sg::cli {
namespace {

boost::json::value OrNull(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object MatchJson(const matching::Match& m) {
  boost::json::object o;
  o["list"] = m.list;
  o["kind"] = m.kind;
  o["hash"] = m.hash;
  o["distance"] = m.distance;
  o["variant"] = m.variant;
  o["category"] = OrNull(m.category);
  o["series"] = OrNull(m.series);
  o["victim_identified"] = m.victim_identified ? boost::json::value(*m.victim_identified) : nullptr;
  o["label"] = OrNull(m.label);
  return o;
}

boost::json::array MatchesJson(const std::vector<matching::Match>& matches) {
  boost::json::array a;
  for (const auto& m : matches) a.push_back(MatchJson(m));
  return a;
}

}  // namespace sg::cli
