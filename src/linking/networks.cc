#include "linking/networks.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>

#include <fmt/format.h>
#include <igraph/igraph.h>

#include "linking/union_find.h"

namespace sg::linking {
namespace {

// Fixed, so that a rebuild of the same graph splits it the same way.
constexpr igraph_uint_t kLeidenSeed = 20261129;
constexpr igraph_integer_t kLeidenIterations = -1;  // until the partition is stable

std::mutex& IgraphMutex() {
  static std::mutex m;
  return m;
}

// Returns failures as values instead of igraph's default of aborting.
void QuietIgraphErrors() {
  static std::once_flag once;
  std::call_once(once, [] { igraph_set_error_handler(igraph_error_handler_ignore); });
}

struct IgraphGraph {
  igraph_t g;
  explicit IgraphGraph(bool* ok, const igraph_vector_int_t& edges, igraph_integer_t n) {
    *ok = igraph_create(&g, &edges, n, IGRAPH_UNDIRECTED) == IGRAPH_SUCCESS;
  }
  ~IgraphGraph() { igraph_destroy(&g); }
};

// Leiden over one component (`members`: indices into graph.persons, sorted;
// `edge_ids`: its edges). Community of each member, or {} when the
// partition is not kept (one community, or modularity below the bar).
Result<std::vector<igraph_integer_t>> LeidenSplit(const Graph& graph, const std::vector<size_t>& members,
                                                  const std::vector<size_t>& edge_ids, const NetworkOptions& options) {
  std::map<std::pair<size_t, size_t>, double> weight;  // local pair -> weight
  auto local = [&](int64_t person) {
    size_t i = static_cast<size_t>(graph.IndexOf(person));
    return static_cast<size_t>(std::lower_bound(members.begin(), members.end(), i) - members.begin());
  };
  for (size_t e : edge_ids) {
    size_t a = local(graph.edges[e].a), b = local(graph.edges[e].b);
    weight[{std::min(a, b), std::max(a, b)}] += 1.0;
  }
  std::lock_guard lock(IgraphMutex());
  QuietIgraphErrors();
  igraph_vector_int_t edges;
  igraph_vector_t weights, strength;
  igraph_vector_int_t membership;
  igraph_vector_int_init(&edges, 2 * static_cast<igraph_integer_t>(weight.size()));
  igraph_vector_init(&weights, static_cast<igraph_integer_t>(weight.size()));
  igraph_vector_init(&strength, static_cast<igraph_integer_t>(members.size()));
  igraph_vector_int_init(&membership, static_cast<igraph_integer_t>(members.size()));
  double total = 0;
  igraph_integer_t k = 0;
  for (const auto& [pair, w] : weight) {
    VECTOR(edges)[2 * k] = static_cast<igraph_integer_t>(pair.first);
    VECTOR(edges)[2 * k + 1] = static_cast<igraph_integer_t>(pair.second);
    VECTOR(weights)[k] = w;
    VECTOR(strength)[pair.first] += w;
    VECTOR(strength)[pair.second] += w;
    total += w;
    ++k;
  }
  bool created = false;
  Result<std::vector<igraph_integer_t>> out = std::vector<igraph_integer_t>{};
  {
    IgraphGraph g(&created, edges, static_cast<igraph_integer_t>(members.size()));
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0, modularity = 0;
    if (!created) {
      out = Internal(fmt::format("igraph: cannot build the graph of component {}", graph.persons[members[0]].id));
    } else if (igraph_rng_seed(igraph_rng_default(), kLeidenSeed) != IGRAPH_SUCCESS ||
               // Modularity with Leiden: node weights are the strengths and
               // the resolution is gamma / 2m (igraph's documentation).
               igraph_community_leiden(&g.g, &weights, &strength, options.resolution / (2 * total), 0.01, false,
                                       kLeidenIterations, &membership, &clusters, &quality) != IGRAPH_SUCCESS ||
               igraph_modularity(&g.g, &membership, &weights, options.resolution, false, &modularity) != IGRAPH_SUCCESS) {
      out = Internal(fmt::format("igraph: Leiden failed on component {}", graph.persons[members[0]].id));
    } else if (clusters > 1 && modularity >= options.split_min_modularity) {
      out->assign(VECTOR(membership), VECTOR(membership) + members.size());
    }
  }
  igraph_vector_int_destroy(&membership);
  igraph_vector_destroy(&strength);
  igraph_vector_destroy(&weights);
  igraph_vector_int_destroy(&edges);
  return out;
}

}  // namespace

std::vector<int64_t> ConnectedComponents(const Graph& graph) {
  // The resolver's union-find (forced joins: networks have no split tags).
  UnionFind uf(graph.persons.size());
  for (const GraphEdge& e : graph.edges) {
    uf.Join(static_cast<uint32_t>(graph.IndexOf(e.a)), static_cast<uint32_t>(graph.IndexOf(e.b)), true);
  }
  // Persons are sorted by id, so the first person seen of a root is its
  // component's smallest id.
  std::vector<int64_t> smallest(graph.persons.size(), -1), component(graph.persons.size());
  for (size_t i = 0; i < graph.persons.size(); ++i) {
    int64_t& s = smallest[uf.Find(static_cast<uint32_t>(i))];
    if (s < 0) s = graph.persons[i].id;
    component[i] = s;
  }
  return component;
}

Result<std::vector<Network>> FindNetworks(const Graph& graph, const NetworkOptions& options) {
  const std::vector<int64_t> component = ConnectedComponents(graph);
  // Persons and edges ordered by component (then by index), so each
  // component is one run of each; vectors, not maps: millions of components.
  std::vector<size_t> by_person(graph.persons.size()), by_edge(graph.edges.size());
  std::vector<int64_t> edge_component(graph.edges.size());
  for (size_t i = 0; i < by_person.size(); ++i) by_person[i] = i;
  for (size_t e = 0; e < by_edge.size(); ++e) {
    by_edge[e] = e;
    edge_component[e] = component[static_cast<size_t>(graph.IndexOf(graph.edges[e].a))];
  }
  std::stable_sort(by_person.begin(), by_person.end(), [&](size_t x, size_t y) { return component[x] < component[y]; });
  std::stable_sort(by_edge.begin(), by_edge.end(),
                   [&](size_t x, size_t y) { return edge_component[x] < edge_component[y]; });

  std::vector<Network> networks;
  std::vector<size_t> who, own_edges;
  for (size_t p = 0, q = 0; p < by_person.size();) {
    const int64_t root = component[by_person[p]];
    who.clear();
    own_edges.clear();
    while (p < by_person.size() && component[by_person[p]] == root) who.push_back(by_person[p++]);
    while (q < by_edge.size() && edge_component[by_edge[q]] == root) own_edges.push_back(by_edge[q++]);
    if (who.size() < 2) continue;
    std::vector<igraph_integer_t> community;
    if (who.size() > options.split_min_persons) {
      SG_ASSIGN_OR_RETURN(community, LeidenSplit(graph, who, own_edges, options));
    }
    if (community.empty()) {
      Network n;
      n.id = n.component_id = root;
      for (size_t i : who) n.person_ids.push_back(graph.persons[i].id);
      n.edges = own_edges;
      n.risk = ScoreNetwork(graph, who, options.now_ms);
      networks.push_back(std::move(n));
      continue;
    }
    // One network per community; `who` is sorted, so each community's
    // first member is its smallest person id.
    std::map<igraph_integer_t, std::vector<size_t>> parts;
    for (size_t k = 0; k < who.size(); ++k) parts[community[k]].push_back(who[k]);
    std::map<igraph_integer_t, size_t> index;  // community -> position in `networks`
    for (auto& [c, part] : parts) {
      Network n;
      n.component_id = root;
      n.split = true;
      n.id = graph.persons[part.front()].id;
      for (size_t i : part) n.person_ids.push_back(graph.persons[i].id);
      n.risk = ScoreNetwork(graph, part, options.now_ms);
      index[c] = networks.size();
      networks.push_back(std::move(n));
    }
    auto community_of = [&](int64_t person) {
      size_t i = static_cast<size_t>(graph.IndexOf(person));
      return community[static_cast<size_t>(std::lower_bound(who.begin(), who.end(), i) - who.begin())];
    };
    for (size_t e : own_edges) {
      igraph_integer_t ca = community_of(graph.edges[e].a), cb = community_of(graph.edges[e].b);
      if (ca == cb) {
        networks[index[ca]].edges.push_back(e);
      } else {
        networks[index[ca]].bridges.push_back(e);
        networks[index[cb]].bridges.push_back(e);
      }
    }
  }
  std::sort(networks.begin(), networks.end(), [](const Network& x, const Network& y) {
    return x.risk.score != y.risk.score ? x.risk.score > y.risk.score : x.id < y.id;
  });
  return networks;
}

}  // namespace sg::linking
