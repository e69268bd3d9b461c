// Networks as JSON (the CLI's lines and the HTTP API), GraphML (Gephi,
// yEd, i2 Analyst's Notebook via its GraphML import) and CSV (nodes.csv and
// edges.csv: Gephi's spreadsheet import and i2's tabular import).
//
// Shapes:
//   summary  {"id", "person_ids", "risk", "reasons": [{"key", "value",
//            "points", "text"}], "persons", "reported", "victims", "edges",
//            "bridges", "component_id", "split"}
//   detail   the summary plus "nodes": [{"id", "reported", "victim",
//            "youngest_age", "reports"}] and "edges": [{"source", "target",
//            "kind", "offender", "via", "report_count", "report_ids",
//            "chat_count", "chat_evidence": [{"chat_log_id", "conversation",
//            "flagged", "lines"}], "bridge"}] (bridges: edges to another
//            network split from the same component, with bridge: true).
//   GraphML  one undirected graph; node attributes reported, victim,
//            youngest_age (-1 unknown), network; edge attributes kind, via,
//            offender, report_count, report_ids ("1 5 9"), chat_count (default
//            0) and chat_evidence (the JSON array above, as text; only on
//            edges with chat evidence). Multiple edges
//            between two persons (different kinds) are kept: both tools
//            read parallel edges.
//   CSV      nodes.csv: Id,Label,Network,Reported,Victim,YoungestAge,Reports
//            edges.csv: Source,Target,Type,Kind,Via,Offender,ReportCount,ReportIds,Network,
//                       ChatCount,ChatEvidence (the JSON array above; empty when none)
//            (Id/Label/Source/Target/Type are the column names Gephi expects).
// Person identifiers are not written here: they are the persons API's to
// show, audited there.
// Thread safety: pure functions.
#pragma once

#include <ostream>
#include <vector>

#include <boost/json/object.hpp>

#include "linking/network_graph.h"
#include "linking/networks.h"

namespace sg::linking {

boost::json::object NetworkSummaryJson(const Graph& graph, const Network& network);
boost::json::object NetworkDetailJson(const Graph& graph, const Network& network);

// The networks given (one, or all) with their edges and bridges.
void WriteGraphMl(std::ostream& out, const Graph& graph, const std::vector<const Network*>& networks);
void WriteNodesCsv(std::ostream& out, const Graph& graph, const std::vector<const Network*>& networks);
void WriteEdgesCsv(std::ostream& out, const Graph& graph, const std::vector<const Network*>& networks);

}  // namespace sg::linking
