#include "linking/bundles.h"

#include <algorithm>

#include "core/time.h"

namespace sg::linking {
namespace {

// The window around `time` as text bounds; false if the time is unreadable.
bool Bounds(const std::string& time, std::chrono::hours window, std::string* from, std::string* to) {
  auto t = ParseRfc3339(time);
  if (!t.ok()) return false;
  *from = FormatUtc(*t - window);
  *to = FormatUtc(*t + window);
  return true;
}

}  // namespace

Status UpdateBundles(PersonWrites& w, const ReportInput& report, std::chrono::hours window) {
  if (report.match_hashes.empty()) return Status::Ok();
  std::string from, to;
  if (!Bounds(report.time, window, &from, &to)) return Status::Ok();
  std::optional<int64_t> bundle;
  for (const std::string& h : report.match_hashes) {
    bool found = false;
    SG_ASSIGN_OR_RETURN(store::Statement * s, w.Row(
        "SELECT b.id FROM bundle_keys k JOIN bundles b ON b.id = k.bundle_id"
        " WHERE k.hash = ? AND b.last_time >= ? AND b.first_time <= ? ORDER BY b.id LIMIT 1",
        {h, from, to}, &found));
    if (found && (!bundle || s->Int(0) < *bundle)) bundle = s->Int(0);
  }
  if (!bundle) {
    SG_ASSIGN_OR_RETURN(bundle, w.NextId("bundles"));
    SG_RETURN_IF_ERROR(w.Exec("INSERT INTO bundles (id, first_report_id, first_time, last_time, reports)"
                              " VALUES (?, ?, ?, ?, 0)",
                              {*bundle, report.report_id, report.time, report.time}));
  }
  SG_RETURN_IF_ERROR(w.Exec("INSERT INTO bundle_reports (report_id, bundle_id) VALUES (?, ?)",
                            {report.report_id, *bundle}));
  SG_RETURN_IF_ERROR(w.Exec(
      "UPDATE bundles SET reports = reports + 1,"
      " first_time = CASE WHEN ? < first_time THEN ? ELSE first_time END,"
      " last_time = CASE WHEN ? > last_time THEN ? ELSE last_time END WHERE id = ?",
      {report.time, report.time, report.time, report.time, *bundle}));
  for (const std::string& h : report.match_hashes) {
    SG_RETURN_IF_ERROR(w.Exec("INSERT INTO bundle_keys (hash, bundle_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                              {h, *bundle}));
  }
  return Status::Ok();
}

void BundleBuilder::Add(int64_t report_id, const std::string& time, const std::vector<std::string>& hashes) {
  if (hashes.empty()) return;
  std::string from, to;
  if (!Bounds(time, window_, &from, &to)) return;
  std::optional<size_t> found;
  for (const std::string& h : hashes) {
    auto it = by_hash_.find(h);
    if (it == by_hash_.end()) continue;
    for (size_t b : it->second) {  // ascending: bundles are appended in id order
      if (bundles_[b].last_time >= from && bundles_[b].first_time <= to) {
        if (!found || b < *found) found = b;
        break;
      }
    }
  }
  if (!found) {
    found = bundles_.size();
    bundles_.push_back({report_id, time, time, {}, {}});
  }
  Bundle& b = bundles_[*found];
  b.reports.push_back(report_id);
  b.first_time = std::min(b.first_time, time);
  b.last_time = std::max(b.last_time, time);
  for (const std::string& h : hashes) {
    auto& list = by_hash_[h];
    if (std::find(list.begin(), list.end(), *found) == list.end()) {
      list.insert(std::lower_bound(list.begin(), list.end(), *found), *found);
      b.keys.push_back(h);
    }
  }
}

Status BundleBuilder::Write(PersonWrites& w) const {
  for (size_t i = 0; i < bundles_.size(); ++i) {
    const Bundle& b = bundles_[i];
    const int64_t id = static_cast<int64_t>(i) + 1;
    SG_RETURN_IF_ERROR(w.Exec("INSERT INTO bundles (id, first_report_id, first_time, last_time, reports)"
                              " VALUES (?, ?, ?, ?, ?)",
                              {id, b.first_report, b.first_time, b.last_time, static_cast<int64_t>(b.reports.size())}));
    for (int64_t r : b.reports) {
      SG_RETURN_IF_ERROR(w.Exec("INSERT INTO bundle_reports (report_id, bundle_id) VALUES (?, ?)", {r, id}));
    }
    for (const std::string& h : b.keys) {
      SG_RETURN_IF_ERROR(w.Exec("INSERT INTO bundle_keys (hash, bundle_id) VALUES (?, ?)", {h, id}));
    }
  }
  return Status::Ok();
}

}  // namespace sg::linking
