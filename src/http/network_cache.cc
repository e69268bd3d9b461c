#include "http/network_cache.h"

#include <algorithm>

#include <fmt/format.h>

namespace sg::http {

NetworkSnapshot::NetworkSnapshot(linking::NetworkAnalysis analysis) : analysis_(std::move(analysis)) {
  for (const linking::Network& n : analysis_.networks) {
    for (int64_t p : n.person_ids) network_of_.emplace_back(p, n.id);
  }
  std::sort(network_of_.begin(), network_of_.end());
}

std::vector<int64_t> NetworkSnapshot::NetworksOf(const std::vector<int64_t>& person_ids) const {
  std::vector<int64_t> out;
  for (int64_t p : person_ids) {
    auto it = std::lower_bound(network_of_.begin(), network_of_.end(), std::make_pair(p, INT64_MIN));
    for (; it != network_of_.end() && it->first == p; ++it) out.push_back(it->second);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::shared_ptr<const NetworkSnapshot>> NetworkCache::Get(store::Connection& conn) {
  auto fresh = [&](const std::string& fingerprint, std::chrono::system_clock::time_point now) {
    std::lock_guard lock(mu_);
    return current_ && fingerprint == fingerprint_ && now - computed_at_ < std::chrono::seconds(kCacheSeconds)
               ? current_
               : nullptr;
  };
  SG_ASSIGN_OR_RETURN(std::string fingerprint, Fingerprint(conn));
  if (auto hit = fresh(fingerprint, std::chrono::system_clock::now())) return hit;
  // One computation at a time: a thread that waited here finds the one
  // just made, unless the store changed meanwhile.
  std::lock_guard computing(compute_mu_);
  SG_ASSIGN_OR_RETURN(fingerprint, Fingerprint(conn));
  const auto now = std::chrono::system_clock::now();
  if (auto hit = fresh(fingerprint, now)) return hit;
  linking::NetworkOptions options;
  options.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  SG_ASSIGN_OR_RETURN(linking::NetworkAnalysis a, linking::AnalyseNetworks(conn, options));
  auto shared = std::make_shared<const NetworkSnapshot>(std::move(a));
  std::lock_guard lock(mu_);
  current_ = shared;
  fingerprint_ = fingerprint;
  computed_at_ = now;
  return shared;
}

Result<std::string> NetworkCache::Fingerprint(store::Connection& conn) {
  // Changes when a mention is added, removed or re-pointed to another person.
  SG_ASSIGN_OR_RETURN(auto persons, conn.Prepare("SELECT COUNT(*), COALESCE(MAX(report_id), 0), "
                                                 "COALESCE(SUM(person_id * (person_index + 1)), 0) FROM report_persons"));
  SG_RETURN_IF_ERROR(persons->Bind({}));
  SG_ASSIGN_OR_RETURN(bool row, persons->Step());
  if (!row) return Internal("report_persons: no fingerprint row");
  std::string out = fmt::format("{}/{}/{}", persons->Int(0), persons->Int(1), persons->Text(2));
  SG_ASSIGN_OR_RETURN(row, persons->Step());
  // Changes when an analysed chat log is added or deleted, or analysed again.
  SG_ASSIGN_OR_RETURN(auto chats, conn.Prepare("SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(analysed_at), '') "
                                               "FROM chat_logs WHERE analysis IS NOT NULL"));
  SG_RETURN_IF_ERROR(chats->Bind({}));
  SG_ASSIGN_OR_RETURN(row, chats->Step());
  if (!row) return Internal("chat_logs: no fingerprint row");
  out += fmt::format("|{}/{}/{}", chats->Int(0), chats->Int(1), chats->Text(2));
  SG_ASSIGN_OR_RETURN(row, chats->Step());
  return out;
}

}  // namespace sg::http
