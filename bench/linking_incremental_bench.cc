// Incremental linking latency with many reports stored: Linker::OnReport
// per new report (p50, p99, max) beside the baseline of storing the
// report's row itself (one INSERT) in the same run, on SQLite or
// PostgreSQL; and the full rebuild time of the stored reports.
//
//   linking_incremental_bench [STORED=1000000] [TIMED=2000] [postgresql://...]
//   linking_incremental_bench --store DIR [TIMED=2000]
//
// With --store, the reports are those of an existing SQLite store (DIR/
// safeguard.db, e.g. a 10M-report import by bench/linking/eval.py): no load
// and no rebuild; each timed report is linked in a transaction that is
// rolled back, so the store is left as it was.
//
// Reports are synthetic: each names one reported person (from a pool of
// STORED/3, with two or three of their identifiers spelled in varying ways)
// and one victim. Timings are printed, never checked.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include "linking/rebuild.h"
#include "linking/report_input.h"
#include "linking/resolver.h"
#include "store/migrations.h"
#include "store/postgres/postgres_connection.h"
#include "store/sqlite/sqlite_connection.h"

namespace {

using Clock = std::chrono::steady_clock;

// CPU seconds of this process (all threads): the machine is shared, so wall
// time alone says little.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string Body(std::mt19937_64& rng, int64_t pool) {
  const int64_t p = static_cast<int64_t>(rng() % static_cast<uint64_t>(pool));
  const int64_t v = static_cast<int64_t>(rng() % 1000000);
  std::vector<std::string> ids;
  if (rng() % 3 != 0) ids.push_back(fmt::format(R"("emails":["{}person{}@example.com"])", rng() % 2 ? "" : " ", p));
  if (rng() % 2 == 0) ids.push_back(fmt::format(R"("phones":["+44 7700 {:06d}"])", p % 1000000));
  if (rng() % 2 == 0 || ids.empty()) ids.push_back(fmt::format(R"("screen_names":["@Person_{}"])", p));
  std::string person;
  for (size_t i = 0; i < ids.size(); ++i) person += (i ? "," : "") + ids[i];
  return fmt::format(R"({{"source":"industry","incident_type":"online_enticement","platform":"roblox",)"
                     R"("reported_people":[{{{}}}],"victims":[{{"screen_names":["child_{}"]}}]}})", person, v);
}

struct Percentiles {
  double p50, p99, max;
};
Percentiles Of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[v.size() * 99 / 100], v.back()};
}

int Fail(const sg::Status& s) {
  fmt::print(stderr, "linking_incremental_bench: {}\n", s.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const bool existing = argc > 2 && std::string(argv[1]) == "--store";
  const std::filesystem::path store_dir = existing ? argv[2] : "";
  if (existing) {
    argv += 2;
    argc -= 2;
  }
  int64_t stored = argc > 1 && !existing ? std::stoll(argv[1]) : 1000000;
  const int timed = existing ? (argc > 1 ? std::stoi(argv[1]) : 2000) : (argc > 2 ? std::stoi(argv[2]) : 2000);
  const std::string url = argc > 3 && !existing ? argv[3] : "";
  const auto path = existing ? store_dir / "safeguard.db"
                             : std::filesystem::temp_directory_path() / fmt::format("sg-link-bench-{}.db", ::getpid());
  auto opened = url.empty() ? sg::store::OpenSqlite(path) : sg::store::OpenPostgres(url);
  if (!opened.ok()) return Fail(opened.status());
  auto& conn = **opened;
  if (auto m = sg::store::Migrate(conn); !m.ok()) return Fail(m.status());
  std::mt19937_64 rng(5);
  if (existing) {
    auto q = conn.Prepare("SELECT count(*) FROM reports");
    if (!q.ok()) return Fail(q.status());
    if (auto s = (*q)->Bind({}); !s.ok()) return Fail(s);
    auto row = (*q)->Step();
    if (!row.ok()) return Fail(row.status());
    stored = (*q)->Int(0);
  }
  const int64_t pool = std::max<int64_t>(stored / 3, 10);
  const std::string received = "2026-11-01T10:00:00.000Z";

  auto start = Clock::now();
  if (existing) {
    fmt::print("{} stored reports (SQLite, {}): each timed report rolled back\n", stored, path.string());
  } else {
  double cpu = CpuSeconds();
  {
    auto tx = sg::store::Transaction::Begin(conn);
    if (!tx.ok()) return Fail(tx.status());
    for (int64_t done = 0; done < stored;) {
      std::string sql =
          "INSERT INTO reports (received_at, channel, owner, source, incident_type, priority, body, body_sha256) VALUES ";
      std::vector<sg::store::Value> params;
      for (int i = 0; i < 200 && done < stored; ++i, ++done) {
        sql += std::string(i ? "," : "") + "(?, 'import', 'bench', 'industry', 'online_enticement', 'normal', ?, '')";
        params.push_back(received);
        params.push_back(Body(rng, pool));
      }
      if (auto r = conn.Exec(sql, params); !r.ok()) return Fail(r.status());
    }
    if (auto s = tx->Commit(); !s.ok()) return Fail(s);
  }
  const double load_s = std::chrono::duration<double>(Clock::now() - start).count();
  const double load_cpu = CpuSeconds() - cpu;
  start = Clock::now();
  cpu = CpuSeconds();
  // The reports were stored without linking: the rebuild parses their bodies.
  sg::linking::RebuildOptions from_bodies;
  from_bodies.source = sg::linking::RebuildSource::kReportBodies;
  auto rebuilt = sg::linking::Rebuild(conn, sg::linking::LinkOptions{}, nullptr, from_bodies);
  if (!rebuilt.ok()) return Fail(rebuilt.status());
  const double rebuild_s = std::chrono::duration<double>(Clock::now() - start).count();
  const double rebuild_cpu = CpuSeconds() - cpu;
  fmt::print("{} stored reports ({}), {} persons, {} identifiers\n", stored, url.empty() ? "SQLite" : "PostgreSQL",
             rebuilt->persons, rebuilt->identifiers);
  fmt::print("  baseline: bulk INSERT of the reports  {:7.1f} s wall {:7.1f} s CPU\n", load_s, load_cpu);
  fmt::print("  Rebuild from the bodies               {:7.1f} s wall {:7.1f} s CPU  (ratio {:.1f}x wall)\n",
             rebuild_s, rebuild_cpu, rebuild_s / load_s);
  }

  std::vector<double> insert_ms, link_ms;
  for (int i = 0; i < timed; ++i) {
    const std::string body_text = Body(rng, pool);
    auto tx = sg::store::Transaction::Begin(conn);
    if (!tx.ok()) return Fail(tx.status());
    auto t0 = Clock::now();
    auto q = conn.Prepare(
        "INSERT INTO reports (received_at, channel, owner, source, incident_type, priority, body, body_sha256)"
        " VALUES (?, 'import', 'bench', 'industry', 'online_enticement', 'normal', ?, '') RETURNING id");
    if (!q.ok()) return Fail(q.status());
    if (auto s = (*q)->Bind({received, body_text}); !s.ok()) return Fail(s);
    auto row = (*q)->Step();
    if (!row.ok()) return Fail(row.status());
    const int64_t id = (*q)->Int(0);
    (void)(*q)->Step();
    q->reset();
    auto t1 = Clock::now();
    auto in = sg::linking::ReportInputFromJson(id, boost::json::parse(body_text).as_object(), received);
    if (!in.ok()) return Fail(in.status());
    {
      sg::linking::Linker linker(conn);
      if (auto s = linker.OnReport(*in); !s.ok()) return Fail(s);
    }
    auto t2 = Clock::now();
    if (!existing) {  // else rolled back when tx goes
      if (auto s = tx->Commit(); !s.ok()) return Fail(s);
    }
    insert_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    link_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  const Percentiles ins = Of(insert_ms), link = Of(link_ms);
  fmt::print("per new report, {} timed (ms)        p50      p99      max\n", timed);
  fmt::print("  baseline: INSERT the report row  {:7.3f}  {:7.3f}  {:7.3f}\n", ins.p50, ins.p99, ins.max);
  fmt::print("  Linker::OnReport (normalise+link) {:7.3f}  {:7.3f}  {:7.3f}\n", link.p50, link.p99, link.max);
  fmt::print("  ratio link/insert                 {:7.1f}  {:7.1f}\n", link.p50 / ins.p50, link.p99 / ins.p99);
  opened->reset();
  if (url.empty() && !existing) {
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
  }
  return 0;
}
