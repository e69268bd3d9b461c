// Loads the network analysis's input from the store: the persons entity
// resolution put in each report (report_persons, schema step 4) and the
// report facts the risk needs (reports, report_files, report_matches), and
// runs the analysis. The I/O edge of the pure network_graph.h/networks.h.
//
// What is read, per report that names at least one person:
//   report_persons           reported and victim person ids
//   reports.body             victims' approximate_age (by person_index),
//                            platform and additional_info when it holds a
//                            "group:" line (via the backend's JSON functions:
//                            only those values leave the database)
//   reports.immediate_danger, incident_time (else received_at)
//   report_files             industry_classification A1/A2 -> category_a
//   report_matches           series; category A, A1 or A2 -> category_a
// and the stored chat logs' analyses (network_chat_source.h) as
// GraphInput::chats.
// Thread safety: as the Connection (one thread at a time).
#pragma once

#include <vector>

#include "core/result.h"
#include "linking/network_graph.h"
#include "linking/networks.h"
#include "store/database.h"

namespace sg::linking {

Result<GraphInput> LoadGraphInput(store::Connection& conn);

// The graph and its networks, ranked (networks.h).
struct NetworkAnalysis {
  Graph graph;
  std::vector<Network> networks;

  // The network with this id, or null.
  const Network* Find(int64_t id) const;
};

Result<NetworkAnalysis> AnalyseNetworks(store::Connection& conn, const NetworkOptions& options,
                                        const GraphOptions& graph_options = {});

}  // namespace sg::linking
