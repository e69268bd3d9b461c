// safeguard networks [--data DIR] [--db URL] [--json] [--network ID]
//                    [--graphml FILE] [--csv DIR] [--now TIME] [--split-min-persons N]
//
// Finds the networks of persons in the store (linking/networks.h: the
// persons `safeguard link` resolved) and prints them ranked by risk: with
// --json one JSON line per network ({"id", "person_ids", "risk", "reasons",
// ...}: linking/network_export.h), else a table. Exports, for Gephi and i2:
//   --graphml FILE  one GraphML file of the networks listed
//   --csv DIR       DIR/nodes.csv and DIR/edges.csv (with each edge's evidence)
// Either writes to a temporary name and renames, so a failed export leaves
// no half-written file. --network ID limits the listing and the exports to
// one network (exit 1 if there is none). --now sets the instant the recency
// term counts from (RFC 3339; default the clock), for reproducible ranks.
//
// Every run appends one audit entry (network.read, or network.export with
// the paths written): a consultation of personal data is logged.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "cli/command.h"
#include "cli/store_access.h"
#include "core/time.h"
#include "linking/network_export.h"
#include "linking/network_source.h"
#include "store/audit.h"

namespace sg::cli {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kName = "networks";

// Writes through `write` to PATH.tmp, then renames it to PATH.
template <typename F>
Status WriteAtomically(const fs::path& path, F write) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError(fmt::format("{}: cannot create", tmp.string()));
    write(out);
    out.flush();
    if (!out) {
      std::error_code ignore;
      fs::remove(tmp, ignore);
      return IoError(fmt::format("{}: write failed", tmp.string()));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return IoError(fmt::format("{}: {}", path.string(), ec.message()));
  return Status::Ok();
}

class NetworksCommand : public Command {
 public:
  std::string_view name() const override { return kName; }
  std::string_view summary() const override { return "list the networks of persons, ranked by risk; export them"; }

  void Configure(CLI::App& app) override {
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    app.add_flag("--json", json_, "one JSON line per network");
    app.add_option("--network", network_, "only the network with this id");
    app.add_option("--graphml", graphml_, "also write the networks as GraphML to FILE");
    app.add_option("--csv", csv_dir_, "also write nodes.csv and edges.csv into DIR");
    app.add_option("--now", now_, "count recency from this RFC 3339 instant (default: now)");
    app.add_option("--split-min-persons", split_min_persons_,
                   "offer components larger than N to Leiden (default 50)");
  }

  int Run() override {
    linking::NetworkOptions options;
    options.split_min_persons = split_min_persons_;
    auto now = std::chrono::system_clock::now();
    if (!now_.empty()) {
      auto t = ParseRfc3339(now_);
      if (!t.ok()) {
        ReportError(kName, fmt::format("--now: {}", t.status().message()));
        return kExitUsage;
      }
      now = *t;
    }
    options.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();

    fs::path data_dir;
    auto conn = OpenStoreOrReport(kName, data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    auto analysis = linking::AnalyseNetworks(*conn, options);
    if (!analysis.ok()) {
      ReportError(kName, analysis.status().message());
      return kExitFailure;
    }
    std::vector<const linking::Network*> chosen;
    for (const linking::Network& n : analysis->networks) {
      if (!network_ || n.id == *network_) chosen.push_back(&n);
    }
    if (network_ && chosen.empty()) {
      ReportError(kName, fmt::format("--network {}: no such network", *network_));
      return kExitFailure;
    }
    std::vector<std::string> written;
    if (!graphml_.empty()) {
      Status s = WriteAtomically(graphml_, [&](std::ostream& o) { linking::WriteGraphMl(o, analysis->graph, chosen); });
      if (!s.ok()) return Fail(s);
      written.push_back(graphml_);
    }
    if (!csv_dir_.empty()) {
      std::error_code ec;
      fs::create_directories(csv_dir_, ec);
      if (ec) return Fail(IoError(fmt::format("--csv {}: {}", csv_dir_, ec.message())));
      const fs::path nodes = fs::path(csv_dir_) / "nodes.csv", edges = fs::path(csv_dir_) / "edges.csv";
      Status s = WriteAtomically(nodes, [&](std::ostream& o) { linking::WriteNodesCsv(o, analysis->graph, chosen); });
      if (s.ok()) s = WriteAtomically(edges, [&](std::ostream& o) { linking::WriteEdgesCsv(o, analysis->graph, chosen); });
      if (!s.ok()) return Fail(s);
      written.push_back(nodes.string());
      written.push_back(edges.string());
    }
    if (Status s = Audit(*conn, chosen.size(), written); !s.ok()) return Fail(s);

    if (!json_) {
      fmt::print("{:>10} {:>5} {:>7} {:>8} {:>7}  reasons\n", "network", "risk", "persons", "reported", "victims");
    }
    for (const linking::Network* n : chosen) {
      boost::json::object o = linking::NetworkSummaryJson(analysis->graph, *n);
      if (json_) {
        fmt::print("{}\n", JsonText(o));
        continue;
      }
      std::string reasons;
      for (const linking::RiskReason& r : n->risk.reasons) {
        if (r.points == 0) continue;
        reasons += fmt::format("{}{} +{}", reasons.empty() ? "" : ", ", r.key, r.points);
      }
      fmt::print("{:>10} {:>5} {:>7} {:>8} {:>7}  {}\n", n->id, n->risk.score, n->person_ids.size(),
                 o.at("reported").as_int64(), o.at("victims").as_int64(), reasons);
    }
    return kExitOk;
  }

 private:
  int Fail(const Status& s) {
    ReportError(kName, s.message());
    return kExitFailure;
  }

  Status Audit(store::Connection& conn, size_t shown, const std::vector<std::string>& written) {
    boost::json::object details{{"networks", shown}};
    if (!written.empty()) {
      boost::json::array files;
      for (const std::string& w : written) files.emplace_back(w);
      details["files"] = std::move(files);
    }
    store::AuditEntry e;
    e.actor = CliActorName();
    e.action = written.empty() ? "network.read" : "network.export";
    e.object_type = "network";
    e.object_id = network_ ? std::to_string(*network_) : "*";
    e.details = boost::json::serialize(details);
    return store::AppendAuditEntries(conn, {e});
  }

  std::string data_, db_, graphml_, csv_dir_, now_;
  std::optional<int64_t> network_;
  size_t split_min_persons_ = 50;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeNetworksCommand() { return std::make_unique<NetworksCommand>(); }

}  // namespace sg::cli
