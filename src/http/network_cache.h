// NetworkCache: the networks analysis (linking/network_source.h) shared by
// the server's threads and by the routes that show it: the networks API
// (networks_api.h) and the chat-log answers, which name the networks of
// each author's persons (chat_api.h). One analysis serves both: it is never
// computed twice for the same store state.
//
// Valid while the store's inputs to it are unchanged: the persons' mentions
// (a fingerprint of report_persons: a report linked, a merge, a split) and
// the analysed chat logs (count, largest id, latest analysed_at), and for at
// most kCacheSeconds (the recency term moves with the clock). When it is
// stale, the first thread computes it and the others wait for that result
// instead of computing it beside it. Derived data only: another server
// process computes the same.
//
// Thread safety: Get from any thread, each with its own connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "linking/network_source.h"
#include "store/database.h"

namespace sg::http {

// One analysis and the networks of each person.
class NetworkSnapshot {
 public:
  explicit NetworkSnapshot(linking::NetworkAnalysis analysis);

  const linking::NetworkAnalysis& analysis() const { return analysis_; }
  // The ids of the networks holding any of `person_ids`: sorted, distinct.
  std::vector<int64_t> NetworksOf(const std::vector<int64_t>& person_ids) const;

 private:
  linking::NetworkAnalysis analysis_;
  std::vector<std::pair<int64_t, int64_t>> network_of_;  // (person, network), sorted
};

class NetworkCache {
 public:
  static constexpr int kCacheSeconds = 300;

  Result<std::shared_ptr<const NetworkSnapshot>> Get(store::Connection& conn);

 private:
  static Result<std::string> Fingerprint(store::Connection& conn);

  std::mutex compute_mu_;  // held while computing: one computation at a time
  std::mutex mu_;          // guards the three below
  std::shared_ptr<const NetworkSnapshot> current_;
  std::string fingerprint_;
  std::chrono::system_clock::time_point computed_at_;
};

}  // namespace sg::http
