// Bundles: reports about the same known media within a time window are one
// incident (a viral spread), so the figures can count both reports and
// incidents (incidents = bundles + reports in none).
//
// Rule, applied in report id order both at intake and in a rebuild: a
// report whose files matched list hashes joins the oldest bundle that holds
// one of those hashes and whose [first_time - window, last_time + window]
// contains the report's time (incident_time, else received_at); otherwise
// it starts a bundle. Its hashes become keys of that bundle. Reports with no
// match are in no bundle. Tables bundles, bundle_keys, bundle_reports.
// Thread safety: as the Connection / plain value types.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "linking/person_writes.h"
#include "linking/report_input.h"

namespace sg::linking {

// At intake, inside the write transaction.
Status UpdateBundles(PersonWrites& w, const ReportInput& report, std::chrono::hours window);

// The same rule in memory, for a rebuild: Add reports in id order, then
// WriteChanges: bundle i (from 0) gets id i + 1, and only the bundles whose
// rows differ from the stored ones are written again.
class BundleBuilder {
 public:
  explicit BundleBuilder(std::chrono::hours window) : window_(window) {}
  void Add(int64_t report_id, const std::string& time, const std::vector<std::string>& hashes);
  Status WriteChanges(PersonWrites& w) const;
  size_t bundles() const { return bundles_.size(); }

 private:
  struct Bundle {
    int64_t first_report;
    std::string first_time, last_time;
    std::vector<int64_t> reports;
    std::vector<std::string> keys;
  };
  std::chrono::hours window_;
  std::vector<Bundle> bundles_;
  std::map<std::string, std::vector<size_t>> by_hash_;
};

}  // namespace sg::linking
