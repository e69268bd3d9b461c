// components_baseline EDGES.csv | --synthetic N: the baseline for the
// networks rebuild. Reads an edge list (the edges.csv of `safeguard networks
// --csv DIR`: Source,Target first), or with --synthetic makes the facts of N
// reports in memory (planted networks and noise shaped as gen_reports.py's,
// no store) and times BuildGraph on them; then times, on the same edges in
// the same run:
//   igraph      igraph_create + igraph_connected_components (the baseline)
//   union_find  linking::ConnectedComponents, our component pass
//   networks    linking::FindNetworks (components, Leiden split, risk)
// and checks that the two component passes give the same partition. Prints
// one JSON object, with the peak resident memory (getrusage). Loading the
// file is timed apart and not counted.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include <sys/resource.h>

#include <random>

#include <fmt/format.h>
#include <igraph/igraph.h>

#include "linking/network_graph.h"
#include "linking/networks.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// N reports: planted networks (2..5 offenders, 2..6 victims, each offender
// targeting 1..3 of them, consecutive offenders tied by a shared victim or
// a contact report) for ~40% of the reports, noise pairs and lone
// offenders for the rest; persons numbered as they appear.
sg::linking::GraphInput Synthetic(int64_t n) {
  std::mt19937_64 rng(1);
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  sg::linking::GraphInput in;
  in.reports.reserve(static_cast<size_t>(n));
  int64_t person = 1, report = 1;
  auto add = [&](std::vector<int64_t> reported, std::vector<int64_t> victims) {
    sg::linking::ReportFacts r;
    r.report_id = report++;
    r.reported = std::move(reported);
    for (int64_t v : victims) r.victims.push_back({v, between(7, 15)});
    r.time_ms = 1'700'000'000'000 + between(0, 1 << 30) * 50LL;
    r.category_a = between(0, 9) == 0;
    in.reports.push_back(std::move(r));
  };
  while (report <= n) {
    const int unit = between(0, 99);
    if (unit < 5) {
      std::vector<int64_t> off(static_cast<size_t>(between(2, 5))), vic(static_cast<size_t>(between(2, 6)));
      for (auto& o : off) o = person++;
      for (auto& v : vic) v = person++;
      for (size_t i = 0; i < off.size(); ++i) {
        for (int k = between(1, 3); k > 0; --k) add({off[i]}, {vic[static_cast<size_t>(between(0, static_cast<int>(vic.size()) - 1))]});
        if (i + 1 < off.size()) add({off[i], off[i + 1]}, {});
      }
    } else if (unit < 60) {
      const int64_t o = person++, v = person++;
      for (int k = between(1, 3); k > 0; --k) add({o}, {v});
    } else {
      add({person++}, {});
    }
  }
  return in;
}

long PeakRssMib() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--synthetic") {
    auto t0 = std::chrono::steady_clock::now();
    sg::linking::GraphInput in = Synthetic(std::stoll(argv[2]));
    const double facts_s = Seconds(t0);
    auto t1 = std::chrono::steady_clock::now();
    sg::linking::Graph graph = sg::linking::BuildGraph(in);
    const double build_s = Seconds(t1);
    const size_t reports = in.reports.size();
    in = {};
    auto t2 = std::chrono::steady_clock::now();
    std::vector<int64_t> ours = sg::linking::ConnectedComponents(graph);
    const double union_find_s = Seconds(t2);
    auto t3 = std::chrono::steady_clock::now();
    sg::linking::NetworkOptions options;
    auto networks = sg::linking::FindNetworks(graph, options);
    const double networks_s = Seconds(t3);
    auto t4 = std::chrono::steady_clock::now();
    igraph_vector_int_t edges, membership;
    igraph_vector_int_init(&edges, 2 * static_cast<igraph_integer_t>(graph.edges.size()));
    for (size_t i = 0; i < graph.edges.size(); ++i) {
      VECTOR(edges)[2 * i] = graph.IndexOf(graph.edges[i].a);
      VECTOR(edges)[2 * i + 1] = graph.IndexOf(graph.edges[i].b);
    }
    const double index_s = Seconds(t4);
    auto t5 = std::chrono::steady_clock::now();
    igraph_t g;
    igraph_create(&g, &edges, static_cast<igraph_integer_t>(graph.persons.size()), IGRAPH_UNDIRECTED);
    igraph_vector_int_init(&membership, 0);
    igraph_integer_t count = 0;
    igraph_connected_components(&g, &membership, nullptr, &count, IGRAPH_WEAK);
    const double igraph_s = Seconds(t5);
    fmt::print(
        "{{\"reports\": {}, \"persons\": {}, \"edges\": {}, \"components\": {}, \"facts_s\": {:.3f}, "
        "\"build_graph_s\": {:.3f}, \"union_find_s\": {:.3f}, \"find_networks_s\": {:.3f}, \"index_s\": {:.3f}, "
        "\"igraph_components_s\": {:.3f}, \"networks\": {}, \"peak_rss_mib\": {}}}\n",
        reports, graph.persons.size(), graph.edges.size(), count, facts_s, build_s, union_find_s, networks_s, index_s,
        igraph_s, networks.ok() ? networks->size() : 0, PeakRssMib());
    (void)ours;
    igraph_vector_int_destroy(&membership);
    igraph_vector_int_destroy(&edges);
    igraph_destroy(&g);
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: components_baseline EDGES.csv | --synthetic N\n");
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "components_baseline: %s: cannot open\n", argv[1]);
    return 1;
  }
  sg::linking::Graph graph;
  std::set<int64_t> ids;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    size_t c1 = line.find(','), c2 = line.find(',', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    sg::linking::GraphEdge e;
    e.a = std::stoll(line.substr(0, c1));
    e.b = std::stoll(line.substr(c1 + 1, c2 - c1 - 1));
    ids.insert(e.a);
    ids.insert(e.b);
    graph.edges.push_back(std::move(e));
  }
  for (int64_t id : ids) {
    sg::linking::GraphPerson p;
    p.id = id;
    p.reported = true;
    graph.persons.push_back(p);
  }
  const double load_s = Seconds(t0);

  // igraph: vertex ids are positions in the sorted person list.
  auto t1 = std::chrono::steady_clock::now();
  igraph_vector_int_t edges, membership;
  igraph_vector_int_init(&edges, 2 * static_cast<igraph_integer_t>(graph.edges.size()));
  for (size_t i = 0; i < graph.edges.size(); ++i) {
    VECTOR(edges)[2 * i] = graph.IndexOf(graph.edges[i].a);
    VECTOR(edges)[2 * i + 1] = graph.IndexOf(graph.edges[i].b);
  }
  const double index_s = Seconds(t1);
  auto t2 = std::chrono::steady_clock::now();
  igraph_t g;
  igraph_create(&g, &edges, static_cast<igraph_integer_t>(graph.persons.size()), IGRAPH_UNDIRECTED);
  igraph_vector_int_init(&membership, 0);
  igraph_integer_t count = 0;
  igraph_connected_components(&g, &membership, nullptr, &count, IGRAPH_WEAK);
  const double igraph_s = Seconds(t2);

  auto t3 = std::chrono::steady_clock::now();
  std::vector<int64_t> ours = sg::linking::ConnectedComponents(graph);
  const double union_find_s = Seconds(t3);

  auto t4 = std::chrono::steady_clock::now();
  sg::linking::NetworkOptions options;
  auto networks = sg::linking::FindNetworks(graph, options);
  const double networks_s = Seconds(t4);

  std::unordered_map<int64_t, igraph_integer_t> map;
  bool same = std::set<int64_t>(ours.begin(), ours.end()).size() == static_cast<size_t>(count);
  for (size_t i = 0; i < ours.size() && same; ++i) {
    auto [it, fresh] = map.try_emplace(ours[i], VECTOR(membership)[i]);
    same = it->second == VECTOR(membership)[i];
  }
  fmt::print(
      "{{\"persons\": {}, \"edges\": {}, \"components\": {}, \"load_s\": {:.3f}, \"index_s\": {:.3f}, "
      "\"igraph_components_s\": {:.3f}, \"union_find_s\": {:.3f}, \"find_networks_s\": {:.3f}, "
      "\"networks\": {}, \"same_partition\": {}, \"peak_rss_mib\": {}}}\n",
      graph.persons.size(), graph.edges.size(), count, load_s, index_s, igraph_s, union_find_s, networks_s,
      networks.ok() ? networks->size() : 0, same, PeakRssMib());
  igraph_vector_int_destroy(&membership);
  igraph_vector_int_destroy(&edges);
  igraph_destroy(&g);
  return same ? 0 : 1;
}
