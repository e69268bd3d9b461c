// PDQ radius search at scale: this engine (PdqIndex, built in memory and
// opened from its file) beside brute force and FAISS IndexBinaryMultiHash, in
// one run on one generated set, printing a markdown table.
//
// Data: N hashes (default 10M): 90% uniformly random, 10% in clusters of
// near-duplicates (2..40 members within 0..16 bits of a random centre).
// Queries: Q (default 10k), each an indexed hash (half from clusters) with
// 0..radius bits flipped: its planted match must be found. Recall is the
// share of planted matches found; on the queries brute force also runs, the
// engine's full hit lists must equal brute force's (checked, reported).
// Single-threaded throughout (FAISS's OpenMP is set to one thread).
//
//   pdq_index_bench [--n N] [--queries Q] [--brute-queries B] [--faiss-queries F]
//                   [--radius R] [--dir DIR] [--no-faiss]
#include <faiss/IndexBinaryHash.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <fmt/format.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "matching/index/pdq_index.h"

namespace {

using sg::hashing::Hash256;
using sg::matching::PdqHit;
using sg::matching::PdqIndex;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU time of this thread: on a shared machine, wall time includes waiting
// for a core; CPU time does not (cache contention still shows).
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Resident set size of this process in bytes (anonymous and file-backed).
size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

// Huge-page use of this process (kB), from /proc/self/smaps_rollup: the
// index's speed depends on it (see src/matching/index/README.md).
std::string HugePages() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("AnonHugePages", 0) == 0 || line.rfind("FilePmdMapped", 0) == 0) {
      out += (out.empty() ? "" : ", ") + line.substr(0, line.find(':')) + " " +
             std::to_string(std::stoull(line.substr(line.find(':') + 1)) >> 10) + " MB";
    }
  }
  return out;
}

Hash256 RandomHash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& w : h.words) w = static_cast<uint16_t>(rng());
  return h;
}

Hash256 Flip(Hash256 h, int d, std::mt19937_64& rng) {
  // d distinct bits: partial Fisher-Yates over the 256 bit numbers.
  int bits[256];
  for (int i = 0; i < 256; ++i) bits[i] = i;
  for (int k = 0; k < d; ++k) {
    int j = k + static_cast<int>(rng() % (256 - k));
    std::swap(bits[k], bits[j]);
    h.FlipBit(bits[k]);
  }
  return h;
}

struct Query {
  Hash256 hash;
  uint32_t planted;
};

struct Row {
  std::string engine;
  size_t queries = 0;
  double qps = 0, cpu_qps = 0, recall = 0, bytes_per_hash = 0, build_s = 0, load_s = -1;
};

struct Options {
  size_t n = 10'000'000;
  size_t queries = 10'000;
  size_t brute_queries = 50;
  size_t faiss_queries = 200;
  int radius = 31;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  bool faiss = true;
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + a);
      return argv[++i];
    };
    if (a == "--n") o.n = std::stoull(next());
    else if (a == "--queries") o.queries = std::stoull(next());
    else if (a == "--brute-queries") o.brute_queries = std::stoull(next());
    else if (a == "--faiss-queries") o.faiss_queries = std::stoull(next());
    else if (a == "--radius") o.radius = std::stoi(next());
    else if (a == "--dir") o.dir = next();
    else if (a == "--no-faiss") o.faiss = false;
    else throw std::runtime_error("unknown argument " + a);
  }
  return o;
}

void MakeData(const Options& o, std::vector<Hash256>* hashes, std::vector<Query>* queries) {
  std::mt19937_64 rng(20261129);
  const size_t clustered = o.n / 10;
  hashes->reserve(o.n);
  std::vector<uint32_t> cluster_members;
  while (hashes->size() < clustered) {
    Hash256 centre = RandomHash(rng);
    size_t members = 2 + rng() % 39;
    for (size_t k = 0; k < members && hashes->size() < clustered; ++k) {
      cluster_members.push_back(static_cast<uint32_t>(hashes->size()));
      hashes->push_back(Flip(centre, static_cast<int>(rng() % 17), rng));
    }
  }
  while (hashes->size() < o.n) hashes->push_back(RandomHash(rng));
  // Shuffle so that clusters are not contiguous in memory (they are not in a
  // real list either); keep track of which positions are cluster members.
  std::vector<uint32_t> order(o.n);
  for (size_t i = 0; i < o.n; ++i) order[i] = static_cast<uint32_t>(i);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<Hash256> shuffled(o.n);
  std::vector<uint32_t> where(o.n);
  for (size_t i = 0; i < o.n; ++i) {
    shuffled[i] = (*hashes)[order[i]];
    where[order[i]] = static_cast<uint32_t>(i);
  }
  *hashes = std::move(shuffled);
  for (size_t q = 0; q < o.queries; ++q) {
    uint32_t target = (q % 2 == 0 && !cluster_members.empty())
                          ? where[cluster_members[rng() % cluster_members.size()]]
                          : static_cast<uint32_t>(rng() % o.n);
    int d = static_cast<int>(rng() % (o.radius + 1));
    queries->push_back({Flip((*hashes)[target], d, rng), target});
  }
}

bool Contains(const std::vector<PdqHit>& hits, uint32_t index) {
  for (const PdqHit& h : hits) {
    if (h.index == index) return true;
  }
  return false;
}

// Runs `queries` through `index`; fills qps and recall; returns the hit lists
// of the first `keep` queries.
std::vector<std::vector<PdqHit>> RunEngine(const PdqIndex& index, const std::vector<Query>& queries,
                                           int radius, size_t keep, Row* row) {
  std::vector<std::vector<PdqHit>> kept;
  std::vector<PdqHit> hits;
  size_t found = 0, total_hits = 0;
  auto start = Clock::now();
  double cpu = CpuSeconds();
  for (size_t i = 0; i < queries.size(); ++i) {
    hits.clear();
    index.Query(queries[i].hash, radius, &hits);
    found += Contains(hits, queries[i].planted);
    total_hits += hits.size();
    if (i < keep) kept.push_back(hits);
  }
  double s = Seconds(start);
  row->cpu_qps = static_cast<double>(queries.size()) / (CpuSeconds() - cpu);
  row->queries = queries.size();
  row->qps = static_cast<double>(queries.size()) / s;
  row->recall = static_cast<double>(found) / static_cast<double>(queries.size());
  std::fprintf(stderr, "  %s: %.2f s for %zu queries, %.1f hits/query\n", row->engine.c_str(), s,
               queries.size(), static_cast<double>(total_hits) / static_cast<double>(queries.size()));
  return kept;
}

std::string Fmt(double v, const char* spec) { return v < 0 ? "-" : fmt::format(fmt::runtime(spec), v); }
// Rates: whole numbers, but one decimal below 100 (brute force and FAISS).
std::string Rate(double v) { return Fmt(v, v < 100 ? "{:.1f}" : "{:.0f}"); }

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = ParseArgs(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pdq_index_bench: %s\n", e.what());
    return 2;
  }
  omp_set_num_threads(1);
  std::fprintf(stderr, "pdq_index_bench: generating %zu hashes and %zu queries (radius %d)\n", o.n,
               o.queries, o.radius);
  std::vector<Hash256> hashes;
  std::vector<Query> queries;
  MakeData(o, &hashes, &queries);
  std::vector<Row> rows;
  const size_t checked = std::min(o.brute_queries, queries.size());

  // This engine, built in memory.
  Row built_row{.engine = "safeguard PdqIndex, built in memory"};
  size_t rss0 = ResidentBytes();
  auto start = Clock::now();
  PdqIndex built = PdqIndex::Build(hashes, 1);
  built_row.build_s = Seconds(start);
  built_row.bytes_per_hash = static_cast<double>(built.MemoryBytes()) / static_cast<double>(o.n);
  std::fprintf(stderr, "  built in %.2f s, %zu bytes (RSS grew %zu; %s)\n", built_row.build_s,
               built.MemoryBytes(), ResidentBytes() - rss0, HugePages().c_str());
  std::vector<std::vector<PdqHit>> built_hits = RunEngine(built, queries, o.radius, checked, &built_row);

  // Written, then opened as a server would at start (the file is in the page
  // cache, as after a restart).
  std::filesystem::path file = o.dir / fmt::format("pdq_index_bench_{}.pdqidx", ::getpid());
  start = Clock::now();
  if (sg::Status s = built.Write(file); !s.ok()) {
    std::fprintf(stderr, "pdq_index_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  double write_s = Seconds(start);
  built = PdqIndex();
  Row opened_row{.engine = "safeguard PdqIndex, opened from file (mmap)"};
  opened_row.build_s = built_row.build_s;
  start = Clock::now();
  sg::Result<PdqIndex> opened = PdqIndex::Open(file);
  opened_row.load_s = Seconds(start);
  if (!opened.ok()) {
    std::fprintf(stderr, "pdq_index_bench: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "  wrote %s (%zu bytes) in %.2f s; Open took %.3f s (%s)\n", file.c_str(),
               opened->MemoryBytes(), write_s, opened_row.load_s, HugePages().c_str());
  opened_row.bytes_per_hash = static_cast<double>(opened->MemoryBytes()) / static_cast<double>(o.n);
  std::vector<std::vector<PdqHit>> opened_hits = RunEngine(*opened, queries, o.radius, checked, &opened_row);

  // Brute force on the first queries: the exact answer.
  Row brute_row{.engine = "brute force (BruteForceQuery)"};
  brute_row.bytes_per_hash = sizeof(Hash256);
  brute_row.build_s = -1;  // nothing to build
  std::vector<std::vector<PdqHit>> exact;
  size_t found = 0;
  start = Clock::now();
  double cpu = CpuSeconds();
  for (size_t i = 0; i < checked; ++i) {
    exact.push_back(sg::matching::BruteForceQuery(hashes, queries[i].hash, o.radius));
    found += Contains(exact.back(), queries[i].planted);
  }
  double brute_s = Seconds(start);
  brute_row.cpu_qps = static_cast<double>(checked) / (CpuSeconds() - cpu);
  brute_row.queries = checked;
  brute_row.qps = static_cast<double>(checked) / brute_s;
  brute_row.recall = static_cast<double>(found) / static_cast<double>(checked);
  size_t agree_built = 0, agree_opened = 0;
  for (size_t i = 0; i < checked; ++i) {
    agree_built += built_hits[i] == exact[i];
    agree_opened += opened_hits[i] == exact[i];
  }

  rows.push_back(built_row);
  rows.push_back(opened_row);
  rows.push_back(brute_row);

  std::string faiss_note;
  if (o.faiss) {
    // FAISS, 16 tables of 16 bits, one flip: the same pigeonhole as ours at
    // radius 31. Its range_search keeps distances below the radius, so it is
    // given radius + 1 (checked below on a tiny index).
    {
      faiss::IndexBinaryMultiHash probe(256, 16, 16);
      probe.nflip = 1;
      uint8_t two[64] = {};
      two[32] = 0x1f;  // second vector: 5 bits from zero
      probe.add(2, two);
      faiss::RangeSearchResult res(1);
      probe.range_search(1, two, 5, &res);
      if (res.lims[1] != 1) faiss_note = "FAISS radius semantics differ from expected; ";
    }
    Row faiss_row{.engine = "FAISS IndexBinaryMultiHash (16 x 16 bits, nflip 1)"};
    size_t rss_before = ResidentBytes();
    start = Clock::now();
    faiss::IndexBinaryMultiHash index(256, 16, 16);
    index.nflip = 1;
    index.add(static_cast<faiss::Index::idx_t>(o.n), reinterpret_cast<const uint8_t*>(hashes.data()));
    faiss_row.build_s = Seconds(start);
    faiss_row.bytes_per_hash =
        static_cast<double>(ResidentBytes() - rss_before) / static_cast<double>(o.n);
    const size_t fq = std::min(o.faiss_queries, queries.size());
    size_t faiss_found = 0, faiss_agree = 0;
    start = Clock::now();
    cpu = CpuSeconds();
    for (size_t i = 0; i < fq; ++i) {
      faiss::RangeSearchResult res(1);
      index.range_search(1, reinterpret_cast<const uint8_t*>(&queries[i].hash), o.radius + 1, &res);
      std::vector<PdqHit> hits;
      for (size_t j = res.lims[0]; j < res.lims[1]; ++j) {
        hits.push_back({static_cast<uint32_t>(res.labels[j]), static_cast<int>(res.distances[j])});
      }
      faiss_found += Contains(hits, queries[i].planted);
      if (i < checked) {
        std::sort(hits.begin(), hits.end(), [](const PdqHit& a, const PdqHit& b) {
          return a.distance != b.distance ? a.distance < b.distance : a.index < b.index;
        });
        faiss_agree += hits == exact[i];
      }
    }
    double faiss_s = Seconds(start);
    faiss_row.cpu_qps = static_cast<double>(fq) / (CpuSeconds() - cpu);
    faiss_row.queries = fq;
    faiss_row.qps = static_cast<double>(fq) / faiss_s;
    faiss_row.recall = static_cast<double>(faiss_found) / static_cast<double>(fq);
    rows.push_back(faiss_row);
    faiss_note += fmt::format("FAISS hit lists equal to brute force on {}/{} of those", faiss_agree,
                              std::min(fq, checked));
  }
  std::filesystem::remove(file);

  std::printf("Set: %zu PDQ hashes (90%% random, 10%% in clusters of 2-40 near-duplicates), "
              "radius %d, one thread.\n"
              "Queries: %zu, each with a planted match at 0..%d bits; recall = planted matches found.\n\n",
              o.n, o.radius, o.queries, o.radius);
  std::printf("| engine | queries | queries/s | queries/CPU-s | recall | bytes/hash | build s | load s |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Row& r : rows) {
    std::printf("| %s | %zu | %s | %s | %s | %s | %s | %s |\n", r.engine.c_str(), r.queries,
                Rate(r.qps).c_str(), Rate(r.cpu_qps).c_str(),
                Fmt(r.recall * 100, "{:.2f}%").c_str(),
                Fmt(r.bytes_per_hash, "{:.1f}").c_str(), Fmt(r.build_s, "{:.2f}").c_str(),
                Fmt(r.load_s, "{:.3f}").c_str());
  }
  const Row* faiss_row = rows.size() > 3 ? &rows[3] : nullptr;
  std::printf("\nExactness: on the first %zu queries the engine's hit lists equal brute force's "
              "(built %zu/%zu, opened %zu/%zu)%s%s.\n",
              checked, agree_built, checked, agree_opened, checked, faiss_note.empty() ? "" : "; ",
              faiss_note.c_str());
  if (faiss_row != nullptr) {
    std::printf("Speed-up over FAISS multi-hash (opened index): %.0fx wall, %.0fx CPU.\n",
                opened_row.qps / faiss_row->qps, opened_row.cpu_qps / faiss_row->cpu_qps);
  }
  std::printf("queries/s: wall clock; queries/CPU-s: per second of this thread's CPU time "
              "(robust to other processes on the machine). ");
  std::printf("bytes/hash: PdqIndex::MemoryBytes (file size when opened); brute force: the hashes "
              "alone; FAISS: resident memory growth while adding. load s: PdqIndex::Open including "
              "the checksum of the whole file.\n");
  return 0;
}
