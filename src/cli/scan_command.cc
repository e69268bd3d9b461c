// safeguard scan [--data DIR] [--json] [--fast] [-j N] [--report FILE.html] PATH...
// Seized-media triage: hash every file under the paths and match it against
// the enabled hash lists.
#include <cstdio>
#include <thread>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "cli/command.h"
#include "cli/file_walk.h"
#include "cli/hash_output.h"
#include "cli/match_output.h"
#include "cli/ordered_pool.h"
#include "cli/scan_report.h"
#include "cli/store_access.h"
#include "core/progress.h"
#include "core/time.h"
#include "media/file_hasher.h"

namespace sg::cli {
namespace {

// "list:category:kind:distance" joined by ';', for the CSV column.
std::string MatchesCsv(const std::vector<matching::Match>& matches) {
  std::string s;
  for (const auto& m : matches) {
    if (!s.empty()) s += ';';
    s += fmt::format("{}:{}:{}:{}", m.list, m.category.value_or(""), m.kind, m.distance);
  }
  return s;
}

class ScanCommand : public Command {
 public:
  std::string_view name() const override { return "scan"; }
  std::string_view summary() const override { return "hash every file under the paths and match it against the lists"; }

  void Configure(CLI::App& app) override {
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    app.add_flag("--json", json_, "one JSON object per file, then a summary object (default: CSV)");
    app.add_flag("--fast", fast_, "decode large JPEGs at a reduced scale (PDQ may differ by a few bits)");
    app.add_flag("--dihedral", dihedral_, "also match the 8 rotated/flipped PDQ variants");
    app.add_option("-j,--jobs", jobs_, "files hashed in parallel (default: number of cores)")->check(CLI::Range(1, 1024));
    app.add_option("--radius", radius_, "PDQ match radius in bits (default 31)")->check(CLI::Range(0, matching::kMaxRadius));
    app.add_option("--min-quality", min_quality_, "images of lower PDQ quality are not PDQ-matched (default 50)")
        ->check(CLI::Range(0, 100));
    app.add_option("--report", report_, "also write a self-contained HTML summary (no images) to this file");
    app.add_option("paths", paths_, "files or directories (walked; symbolic links are not followed)")->required();
    app.footer(
        "Output: one line per file (the `hash` fields plus `matches`), in command-line order, directory\n"
        "contents sorted by path; then the summary (last JSON line with --json, else on stderr).\n"
        "Exit status: 0 if every file was read, 1 if any failed, 2 for a bad command line.");
  }

  int Run() override {
    const std::string started = NowUtc();
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport("scan", data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    auto matcher = matching::Matcher::Open(*conn, data_dir, [](const std::string& what) {
      fmt::print(stderr, "safeguard scan: {}\n", what);
    });
    if (!matcher.ok()) {
      ReportError("scan", matcher.status().message());
      return kExitFailure;
    }
    KeepFreedMemory();
    WalkResult walk = ExpandPaths(paths_, /*recursive=*/true);
    media::FileHashOptions options;
    options.fast = fast_;
    options.dihedral = dihedral_;
    const int threads = jobs_ > 0 ? jobs_ : std::max(1u, std::thread::hardware_concurrency());
    ProgressBar progress("scanning", walk.entries.size(), "files", ProgressBar::StderrIsTerminal());
    progress.SetExtra("0 matched");
    if (!json_) std::fputs("path,pdq,quality,md5,sha1,sha256,matches\n", stdout);
    ScanSummary& summary = summary_;
    Status fatal;
    RunOrdered<media::FileHashes>(
        walk.entries.size(), threads,
        [&](size_t i) {
          media::FileHashes h = HashWalkEntry(walk.entries[i], options);
          progress.Advance(1, h.size);
          return h;
        },
        [&](size_t, media::FileHashes h) {
          if (!fatal.ok()) return;
          // Matching runs here, on the calling thread, which owns the store.
          matching::MatchResult result;
          if (h.crypto || h.pdq) {
            matching::MatchQuery q;
            q.crypto = h.crypto;
            if (h.pdq) {
              q.pdq = h.pdq->hash;
              q.quality = h.pdq->quality;
              q.dihedral = h.dihedral;
            }
            auto r = (*matcher)->Lookup(q, {radius_, min_quality_});
            if (!r.ok()) {
              fatal = r.status();
              return;
            }
            result = std::move(r).value();
          }
          Count(h, result);
          Print(h, result);
          if (!result.matches.empty()) progress.SetExtra(fmt::format("{} matched", summary.matched_files));
        });
    progress.Finish();
    std::fflush(stdout);
    if (!fatal.ok()) {
      ReportError("scan", fatal.message());
      return kExitFailure;
    }
    if (json_) {
      boost::json::object o{{"summary", summary.ToJson()}};
      fmt::print("{}\n", JsonText(o));
      std::fflush(stdout);
    } else {
      fmt::print(stderr, "{}", summary.ToText());
    }
    if (!report_.empty()) {
      ReportContext ctx;
      ctx.paths = paths_;
      ctx.data_dir = data_dir.string();
      matching::ListStore lists(*conn);
      if (auto all = lists.Lists(); all.ok()) ctx.lists = *all;
      ctx.radius = radius_;
      ctx.started_at = started;
      ctx.finished_at = NowUtc();
      Status s = WriteScanReport(report_, summary, ctx);
      if (!s.ok()) {
        ReportError("scan", s.message());
        return kExitFailure;
      }
    }
    return summary.errors > 0 ? kExitFailure : kExitOk;
  }

 private:
  void Count(const media::FileHashes& h, const matching::MatchResult& r) {
    ScanSummary& s = summary_;
    ++s.files;
    s.bytes += h.size;
    if (h.pdq) ++s.images;
    if (!h.error.ok()) {
      ++s.errors;
      s.failed.emplace_back(h.path, h.error.message());
    }
    if (!r.matches.empty()) s.AddMatches({h.path, h.size, h.crypto ? h.crypto->sha256 : "", r.matches});
  }

  void Print(const media::FileHashes& h, const matching::MatchResult& r) {
    if (json_) {
      boost::json::object o = HashJson(h, dihedral_);
      o["matches"] = MatchesJson(r.matches);
      if (r.pdq_skipped) o["pdq_skipped"] = *r.pdq_skipped;
      std::string line = JsonText(o);
      line += '\n';
      std::fputs(line.c_str(), stdout);
    } else if (h.error.ok()) {
      std::string line = CsvLine(h, false);
      line.pop_back();  // the newline
      fmt::print("{},{}\n", line, CsvField(MatchesCsv(r.matches)));
    } else {
      std::fflush(stdout);
      fmt::print(stderr, "safeguard scan: {}\n", ErrorLine(h));
    }
  }

  std::string data_, db_, report_;
  bool json_ = false, fast_ = false, dihedral_ = false;
  int jobs_ = 0;
  int radius_ = matching::kDefaultRadius;
  int min_quality_ = matching::kDefaultMinQuality;
  std::vector<std::string> paths_;
  ScanSummary summary_;
};

}  // namespace

std::unique_ptr<Command> MakeScanCommand() { return std::make_unique<ScanCommand>(); }

}  // namespace sg::cli
