// Networks: groups of persons an analyst can act on, found in the Graph
// (network_graph.h) and ranked by risk (network_risk.h).
//
// The rule (src/linking/README.md explains the choices):
//   1. Networks are the connected components of the graph with at least two
//      persons (a person with no edge is not a network). Components come
//      from a union-find over the edges (ConnectedComponents); the tests
//      check it against igraph_connected_components.
//   2. A component of more than `split_min_persons` persons is offered to
//      igraph's Leiden (modularity objective, resolution `resolution`,
//      edge weight = number of distinct edges between the two persons).
//      The split is kept only if the partition has at least two
//      communities and modularity >= `split_min_modularity`: a loosely knit
//      component (clusters joined by a few edges) splits; a dense or star-
//      shaped one (one offender, many victims) does not. Leiden's
//      communities are connected, so each is a network. The edges between
//      them are kept as `bridges` of both networks.
//   3. A network's id is the smallest person id among its members: stable
//      across rebuilds while its members are, and when two networks merge
//      the merged one keeps the older (smaller) id.
//   4. Networks are ranked by risk, highest first, ties by id.
// Leiden is seeded with a fixed seed, so a rebuild of the same graph gives
// the same networks.
//
// Thread safety: FindNetworks may be called from several threads; the
// igraph calls inside are serialised (igraph 0.10 as built by Debian is not
// thread-safe: its RNG and error state are global).
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "linking/network_graph.h"
#include "linking/network_risk.h"

namespace sg::linking {

struct NetworkOptions {
  size_t split_min_persons = 50;
  double split_min_modularity = 0.3;
  double resolution = 1.0;
  int64_t now_ms = 0;  // "now" for the recency term of the risk
};

struct Network {
  int64_t id = 0;
  std::vector<int64_t> person_ids;  // ascending
  std::vector<size_t> edges;        // indices into Graph::edges with both ends inside
  std::vector<size_t> bridges;      // edges to another network split from the same component
  int64_t component_id = 0;         // the component it came from (its smallest person id)
  bool split = false;               // true if Leiden split that component
  Risk risk;
};

// The component of every person (index into graph.persons): the smallest
// person id of its component. Persons without edges are their own.
std::vector<int64_t> ConnectedComponents(const Graph& graph);

// Rule 1..4 above; kInternal if igraph fails.
Result<std::vector<Network>> FindNetworks(const Graph& graph, const NetworkOptions& options);

}  // namespace sg::linking
