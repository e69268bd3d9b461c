#include "linking/bundles.h"

#include <algorithm>
#include <string_view>

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

Status BundleBuilder::WriteChanges(PersonWrites& w) const {
  struct Stored {
    int64_t first_report = 0, reports = 0;
    std::string first_time, last_time;
    std::vector<int64_t> members;
    std::vector<std::string> keys;
  };
  std::map<int64_t, Stored> stored;
  store::Connection& conn = w.connection();
  {
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT id, first_report_id, first_time, last_time, reports FROM bundles"));
    SG_RETURN_IF_ERROR(q->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      Stored& s = stored[q->Int(0)];
      s.first_report = q->Int(1);
      s.first_time = q->Text(2);
      s.last_time = q->Text(3);
      s.reports = q->Int(4);
    }
  }
  for (const char* sql : {"SELECT bundle_id, report_id FROM bundle_reports", "SELECT bundle_id, hash FROM bundle_keys"}) {
    const bool members = std::string_view(sql).find("report_id") != std::string_view::npos;
    SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(sql));
    SG_RETURN_IF_ERROR(q->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      Stored& s = stored[q->Int(0)];  // a row of a bundle that is not there: differs from any bundle
      if (members) {
        s.members.push_back(q->Int(1));
      } else {
        s.keys.push_back(q->Text(1));
      }
    }
  }
  auto same = [](Stored& s, const Bundle& b) {
    std::sort(s.members.begin(), s.members.end());
    std::sort(s.keys.begin(), s.keys.end());
    std::vector<std::string> keys = b.keys;
    std::sort(keys.begin(), keys.end());
    return s.first_report == b.first_report && s.first_time == b.first_time && s.last_time == b.last_time &&
           s.reports == static_cast<int64_t>(b.reports.size()) && s.members == b.reports && s.keys == keys;
  };
  // Stale rows first (a report may move between bundles), then the new ones.
  std::vector<size_t> changed;
  for (size_t i = 0; i < bundles_.size(); ++i) {
    auto it = stored.find(static_cast<int64_t>(i) + 1);
    if (it != stored.end() && same(it->second, bundles_[i])) {
      stored.erase(it);
    } else {
      changed.push_back(i);
    }
  }
  for (const auto& [id, s] : stored) {
    SG_RETURN_IF_ERROR(w.Exec("DELETE FROM bundles WHERE id = ?", {id}));
    for (int64_t r : s.members) SG_RETURN_IF_ERROR(w.Exec("DELETE FROM bundle_reports WHERE report_id = ?", {r}));
    for (const std::string& h : s.keys) {
      SG_RETURN_IF_ERROR(w.Exec("DELETE FROM bundle_keys WHERE hash = ? AND bundle_id = ?", {h, id}));
    }
  }
  for (size_t i : changed) {
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
