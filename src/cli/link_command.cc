// safeguard link: rebuilds persons, candidates and bundles from every stored
// report (linking/rebuild.h), re-applying analysts' decisions.
#include <fmt/format.h>

#include <chrono>

#include "cli/command.h"
#include "cli/store_access.h"
#include "core/progress.h"
#include "linking/rebuild.h"
#include "store/open.h"

namespace sg::cli {
namespace {

class LinkCommand : public Command {
 public:
  std::string_view name() const override { return "link"; }
  std::string_view summary() const override {
    return "rebuild persons, candidate links and bundles from all reports (decisions are kept)";
  }

  void Configure(CLI::App& app) override {
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    app.add_flag("--reparse", reparse_,
                 "parse every report body again instead of reading the identifiers intake stored (done by itself "
                 "when those were stored under older rules)");
  }

  int Run() override {
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport("link", data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    int64_t total = 0;
    // The bar's total: the highest report id, from the primary key at once
    // (ids only grow, so at most a few more than the count, which would read
    // a whole index before the work starts).
    if (auto q = conn->Prepare("SELECT coalesce(max(id), 0) FROM reports"); q.ok() && (*q)->Bind({}).ok()) {
      auto row = (*q)->Step();
      if (row.ok() && *row) total = (*q)->Int(0);
    }
    const auto start = std::chrono::steady_clock::now();
    Result<linking::RebuildStats> stats = [&] {
      ProgressBar progress("linking", static_cast<uint64_t>(total), "reports", ProgressBar::StderrIsTerminal());
      linking::RebuildOptions rebuild;
      rebuild.source = reparse_ ? linking::RebuildSource::kReportBodies : linking::RebuildSource::kAuto;
      rebuild.open_reader = [&]() { return store::OpenStore({data_dir, db_}); };
      auto r = linking::Rebuild(*conn, linking::LinkOptions{}, &progress, rebuild);
      progress.Finish();
      return r;
    }();
    if (!stats.ok()) {
      ReportError("link", stats.status().message());
      return kExitFailure;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("linked {} reports: {} mentions, {} identifiers, {} persons, {} new candidate links, {} bundles"
               " in {:.1f} s\n",
               stats->reports, stats->mentions, stats->identifiers, stats->persons, stats->candidates, stats->bundles,
               seconds);
    fmt::print("  from {}{}; read {:.1f} s, resolve {:.1f} s, write {:.1f} s\n",
               stats->from_bodies ? "the report bodies (parsed again)" : "the identifiers stored at intake",
               stats->read_again ? " (read again: reports arrived meanwhile)" : "", stats->read_seconds,
               stats->resolve_seconds, stats->write_seconds);
    if (stats->facts_filled > 0) {
      fmt::print("  wrote the network facts (report_facts) of {} reports stored before schema step 11, from their"
                 " bodies, in {:.1f} s\n",
                 stats->facts_filled, stats->facts_seconds);
    }
    return kExitOk;
  }

 private:
  std::string data_, db_;
  bool reparse_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeLinkCommand() { return std::make_unique<LinkCommand>(); }

}  // namespace sg::cli
