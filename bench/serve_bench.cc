// serve_bench: durable reports/s of the intake server, and of the storage
// layer alone on the same rows. bench/serve_bench.py drives it (both
// backends, 1/8/64 clients) and prints the README table.
//
//   serve_bench http --port P --token T [--host 127.0.0.1] [--clients N] [--threads T]
//                    [--warmup S] [--seconds S] [--reports K] [--seed X]
//     N keep-alive clients POST synthetic reports to a running `safeguard
//     serve` as fast as it answers; prints {"mode":"http", "reports_per_s",
//     "p50_ms", "p99_ms", "reports", "errors", ...} on one line.
//   serve_bench raw --data DIR [--db URL] [--batch B] [--warmup S] [--seconds S]
//                   [--reports K] [--seed X]
//     The same bodies, parsed before timing, written straight through
//     intake::ReportStore::IngestBatch in batches of B (as the server's
//     writer thread does: same matcher, owner, channel and an
//     Idempotency-Key each); the time counted is the time inside
//     IngestBatch. Prints {"mode":"raw", "batch", "reports_per_s", ...}.
//   serve_bench sample [--reports K]
//     Prints the first K synthetic bodies, one per line (to look at them).
//
// The store given to `raw` must be fresh (a new data directory or an empty
// PostgreSQL database), like the server's.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "bench/serve_bench.h"
#include "intake/report_parser.h"
#include "intake/report_store.h"
#include "matching/matcher.h"
#include "store/open.h"

namespace {

using Clock = std::chrono::steady_clock;
using sg::bench::Measured;

int Usage(const std::string& why) {
  fmt::print(stderr, "serve_bench: {}\nusage: serve_bench http|raw|sample [--option value]... (see serve_bench.cc)\n",
             why);
  return 2;
}

void PrintJson(const std::string& mode, const Measured& m, boost::json::object extra) {
  extra["mode"] = mode;
  extra["reports_per_s"] = m.per_second();
  extra["reports"] = m.reports;
  extra["errors"] = m.errors;
  extra["seconds"] = m.seconds;
  extra["p50_ms"] = m.p50_ms;
  extra["p99_ms"] = m.p99_ms;
  if (!m.first_error.empty()) extra["first_error"] = m.first_error;
  fmt::print("{}\n", boost::json::serialize(extra));
  std::fflush(stdout);
}

int RunRaw(const sg::store::StoreLocation& where, const std::vector<std::string>& bodies, size_t batch,
           double warmup_s, double measure_s) {
  auto conn = sg::store::OpenStore(where);
  if (!conn.ok()) return Usage(conn.status().message());
  auto matcher = sg::matching::Matcher::Open(**conn, where.data_dir);
  if (!matcher.ok()) return Usage(matcher.status().message());
  sg::intake::ReportStore store(**conn, matcher->get());
  std::vector<sg::intake::Report> reports;
  for (const std::string& body : bodies) {
    auto r = sg::intake::ParseReport(body);
    if (!r.ok()) return Usage(fmt::format("a synthetic report does not parse: {}", r.status().message()));
    reports.push_back(std::move(r).value());
  }
  Measured m;
  std::vector<double> batch_ms;
  uint64_t next = 0;
  const auto start = Clock::now();
  double counted_s = 0;
  while (true) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed >= warmup_s + measure_s) break;
    std::vector<sg::intake::IngestRequest> requests(batch);
    for (auto& req : requests) {  // as the server's handler builds them
      req.report = reports[next % reports.size()];
      req.idempotency_key = fmt::format("raw-{}", next++);
      req.owner = "token:1";
      req.actor = "token:bench";
      req.address = "127.0.0.1";
      req.channel = std::string(sg::intake::kChannelApi);
    }
    const auto t0 = Clock::now();
    auto results = store.IngestBatch(requests);
    const double took = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!results.ok()) return Usage(results.status().message());
    if (elapsed < warmup_s) continue;
    counted_s += took;
    batch_ms.push_back(took * 1000);
    for (auto& r : *results) {
      if (r.ok() && r->created) ++m.reports;
      else ++m.errors;
    }
  }
  m.seconds = counted_s;
  std::sort(batch_ms.begin(), batch_ms.end());
  if (!batch_ms.empty()) {
    m.p50_ms = batch_ms[batch_ms.size() / 2];
    m.p99_ms = batch_ms[std::min(batch_ms.size() - 1, batch_ms.size() * 99 / 100)];
  }
  PrintJson("raw", m, {{"batch", batch}, {"backend", where.db_url.empty() ? "sqlite" : "postgres"}});
  return m.errors == 0 && m.reports > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage("no mode");
  const std::string mode = argv[1];
  std::map<std::string, std::string> opt;
  for (int i = 2; i < argc; i += 2) {
    const std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || i + 1 >= argc) return Usage(fmt::format("bad argument '{}'", key));
    opt[key.substr(2)] = argv[i + 1];
  }
  auto get = [&](const std::string& key, const std::string& def) { return opt.count(key) ? opt[key] : def; };
  const double warmup = std::stod(get("warmup", "2")), seconds = std::stod(get("seconds", "10"));
  const auto bodies = sg::bench::SyntheticReports(std::stoul(get("reports", "2000")), std::stoull(get("seed", "1")));

  if (mode == "sample") {
    for (const auto& b : bodies) fmt::print("{}\n", b);
    return 0;
  }
  if (mode == "http") {
    sg::bench::LoadOptions o;
    o.host = get("host", "127.0.0.1");
    o.port = static_cast<uint16_t>(std::stoi(get("port", "0")));
    o.token = get("token", "");
    o.clients = std::stoi(get("clients", "1"));
    o.threads = std::stoi(get("threads", "1"));
    o.warmup_s = warmup;
    o.measure_s = seconds;
    if (o.port == 0 || o.token.empty()) return Usage("http needs --port and --token");
    const Measured m = sg::bench::RunHttpLoad(o, bodies);
    PrintJson("http", m, {{"clients", o.clients}, {"client_threads", o.threads}});
    return m.errors == 0 && m.reports > 0 ? 0 : 1;
  }
  if (mode == "raw") {
    if (!opt.count("data")) return Usage("raw needs --data DIR");
    sg::store::StoreLocation where{get("data", ""), get("db", "")};
    return RunRaw(where, bodies, std::max<size_t>(1, std::stoul(get("batch", "1"))), warmup, seconds);
  }
  return Usage(fmt::format("unknown mode '{}'", mode));
}
