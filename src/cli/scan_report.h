// The scan's summary and its self-contained HTML report for the case file:
// counts, categories, lists, and a table of matched files. Text and hashes
// only: never an image, a thumbnail or a link to a file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/status.h"
#include "matching/matcher.h"

namespace sg::cli {

struct ScannedMatch {
  std::string path;
  uint64_t size = 0;
  std::string sha256;
  std::vector<matching::Match> matches;
};

struct ScanSummary {
  uint64_t files = 0, images = 0, bytes = 0, errors = 0, matched_files = 0;
  std::map<std::string, uint64_t> matched_by_list;      // files per list
  std::map<std::string, uint64_t> matched_by_category;  // files per category
  std::vector<ScannedMatch> matched;                    // in scan order
  std::vector<std::pair<std::string, std::string>> failed;  // path, reason

  // Counts one file's matches (each list and category once per file).
  void AddMatches(ScannedMatch file);
  boost::json::object ToJson() const;
  std::string ToText() const;  // the summary lines for a terminal
};

struct ReportContext {
  std::vector<std::string> paths;  // what was scanned
  std::string data_dir;
  std::vector<matching::ListInfo> lists;
  int radius = matching::kDefaultRadius;
  std::string started_at, finished_at;
};

// Writes atomically (a temporary file renamed into place).
Status WriteScanReport(const std::string& path, const ScanSummary& summary, const ReportContext& context);

}  // namespace sg::cli
