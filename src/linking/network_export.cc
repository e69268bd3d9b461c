#include "linking/network_export.h"

#include "core/utf8.h"

#include <set>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace sg::linking {
namespace {

namespace json = boost::json;

json::array Ids(const std::vector<int64_t>& ids) {
  json::array a;
  a.reserve(ids.size());
  for (int64_t id : ids) a.emplace_back(id);
  return a;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) {
    if (!s.empty()) s += ' ';
    s += std::to_string(id);
  }
  return s;
}

// Text for XML content and attributes: core's HTML escaping (& < > " and '
// as &#39;, which XML reads the same) also repairs invalid UTF-8, which an
// XML reader would refuse.
std::string XmlEscape(std::string_view s) { return HtmlEscape(s); }

// RFC 4180: quoted when it holds a comma, quote or line break. A leading
// = + - @ is prefixed with ' so that a spreadsheet does not run it as a
// formula (a series name comes from a hash list, which is outside data).
std::string CsvField(std::string_view s) {
  const bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
  std::string v = formula ? "'" : "";
  v += s;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

json::array ChatEvidenceJson(const GraphEdge& e) {
  json::array a;
  for (const ChatEvidence& c : e.chats) {
    json::array lines;
    for (uint64_t l : c.lines) lines.emplace_back(l);
    a.push_back(json::object{{"chat_log_id", c.chat_log_id},
                             {"conversation", c.conversation},
                             {"flagged", c.flagged},
                             {"lines", std::move(lines)}});
  }
  return a;
}

// The chat evidence as one JSON text, for a GraphML attribute or a CSV cell.
std::string ChatEvidenceText(const GraphEdge& e) { return e.chats.empty() ? "" : json::serialize(ChatEvidenceJson(e)); }

json::object EdgeJson(const GraphEdge& e, bool bridge) {
  json::object o;
  o["source"] = e.a;
  o["target"] = e.b;
  o["kind"] = EdgeKindName(e.kind);
  o["offender"] = e.kind == EdgeKind::kOffenderVictim ? json::value(e.offender) : json::value(nullptr);
  o["via"] = e.via.empty() ? json::value(nullptr) : json::value(e.via);
  o["report_count"] = e.report_count;
  o["report_ids"] = Ids(e.report_ids);
  o["chat_count"] = e.chat_count;
  o["chat_evidence"] = ChatEvidenceJson(e);
  o["bridge"] = bridge;
  return o;
}

// Each edge once, with the network it is listed under (a bridge under the
// first network given that holds it).
template <typename F>
void ForEachEdge(const std::vector<const Network*>& networks, F f) {
  std::set<size_t> seen;
  for (const Network* n : networks) {
    for (size_t e : n->edges) f(e, *n);
    for (size_t e : n->bridges) {
      if (seen.insert(e).second) f(e, *n);
    }
  }
}

}  // namespace

json::object NetworkSummaryJson(const Graph& graph, const Network& network) {
  json::object o;
  o["id"] = network.id;
  o["person_ids"] = Ids(network.person_ids);
  o["risk"] = network.risk.score;
  json::array reasons;
  for (const RiskReason& r : network.risk.reasons) {
    reasons.push_back(json::object{{"key", r.key},
                                   {"value", r.value ? json::value(*r.value) : json::value(nullptr)},
                                   {"points", r.points},
                                   {"text", r.text}});
  }
  o["reasons"] = std::move(reasons);
  int64_t reported = 0, victims = 0;
  for (int64_t id : network.person_ids) {
    const GraphPerson& p = graph.persons[static_cast<size_t>(graph.IndexOf(id))];
    reported += p.reported;
    victims += p.victim;
  }
  o["persons"] = network.person_ids.size();
  o["reported"] = reported;
  o["victims"] = victims;
  o["edges"] = network.edges.size();
  o["bridges"] = network.bridges.size();
  o["component_id"] = network.component_id;
  o["split"] = network.split;
  return o;
}

json::object NetworkDetailJson(const Graph& graph, const Network& network) {
  json::object o = NetworkSummaryJson(graph, network);
  json::array nodes, edges;
  for (int64_t id : network.person_ids) {
    const GraphPerson& p = graph.persons[static_cast<size_t>(graph.IndexOf(id))];
    nodes.push_back(json::object{{"id", p.id},
                                 {"reported", p.reported},
                                 {"victim", p.victim},
                                 {"youngest_age", p.youngest_age ? json::value(*p.youngest_age) : json::value(nullptr)},
                                 {"reports", p.report_count}});
  }
  for (size_t e : network.edges) edges.push_back(EdgeJson(graph.edges[e], false));
  for (size_t e : network.bridges) edges.push_back(EdgeJson(graph.edges[e], true));
  o["nodes"] = std::move(nodes);
  o["edges"] = std::move(edges);
  return o;
}

void WriteGraphMl(std::ostream& out, const Graph& graph, const std::vector<const Network*>& networks) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
         "  <key id=\"reported\" for=\"node\" attr.name=\"reported\" attr.type=\"boolean\"/>\n"
         "  <key id=\"victim\" for=\"node\" attr.name=\"victim\" attr.type=\"boolean\"/>\n"
         "  <key id=\"youngest_age\" for=\"node\" attr.name=\"youngest_age\" attr.type=\"int\"><default>-1</default></key>\n"
         "  <key id=\"network\" for=\"node\" attr.name=\"network\" attr.type=\"long\"/>\n"
         "  <key id=\"kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n"
         "  <key id=\"via\" for=\"edge\" attr.name=\"via\" attr.type=\"string\"/>\n"
         "  <key id=\"offender\" for=\"edge\" attr.name=\"offender\" attr.type=\"long\"/>\n"
         "  <key id=\"report_count\" for=\"edge\" attr.name=\"report_count\" attr.type=\"long\"/>\n"
         "  <key id=\"report_ids\" for=\"edge\" attr.name=\"report_ids\" attr.type=\"string\"/>\n"
         "  <key id=\"chat_count\" for=\"edge\" attr.name=\"chat_count\" attr.type=\"long\"><default>0</default></key>\n"
         "  <key id=\"chat_evidence\" for=\"edge\" attr.name=\"chat_evidence\" attr.type=\"string\"/>\n"
         "  <graph id=\"networks\" edgedefault=\"undirected\">\n";
  std::set<int64_t> written;
  for (const Network* n : networks) {
    for (int64_t id : n->person_ids) {
      const GraphPerson& p = graph.persons[static_cast<size_t>(graph.IndexOf(id))];
      written.insert(id);
      out << fmt::format("    <node id=\"p{}\"><data key=\"reported\">{}</data><data key=\"victim\">{}</data>", p.id,
                         p.reported, p.victim);
      if (p.youngest_age) out << fmt::format("<data key=\"youngest_age\">{}</data>", *p.youngest_age);
      out << fmt::format("<data key=\"network\">{}</data></node>\n", n->id);
    }
  }
  size_t k = 0;
  ForEachEdge(networks, [&](size_t i, const Network&) {
    const GraphEdge& e = graph.edges[i];
    // A bridge's far end may be in a network not exported: GraphML needs
    // every endpoint declared, so it is added as a bare node.
    for (int64_t end : {e.a, e.b}) {
      if (written.insert(end).second) out << fmt::format("    <node id=\"p{}\"/>\n", end);
    }
    out << fmt::format("    <edge id=\"e{}\" source=\"p{}\" target=\"p{}\"><data key=\"kind\">{}</data>", k++, e.a,
                       e.b, EdgeKindName(e.kind));
    if (!e.via.empty()) out << "<data key=\"via\">" << XmlEscape(e.via) << "</data>";
    if (e.kind == EdgeKind::kOffenderVictim) out << fmt::format("<data key=\"offender\">{}</data>", e.offender);
    out << fmt::format("<data key=\"report_count\">{}</data><data key=\"report_ids\">{}</data>", e.report_count,
                       JoinIds(e.report_ids));
    if (e.chat_count > 0) {
      out << fmt::format("<data key=\"chat_count\">{}</data><data key=\"chat_evidence\">{}</data>", e.chat_count,
                         XmlEscape(ChatEvidenceText(e)));
    }
    out << "</edge>\n";
  });
  out << "  </graph>\n</graphml>\n";
}

void WriteNodesCsv(std::ostream& out, const Graph& graph, const std::vector<const Network*>& networks) {
  out << "Id,Label,Network,Reported,Victim,YoungestAge,Reports\r\n";
  for (const Network* n : networks) {
    for (int64_t id : n->person_ids) {
      const GraphPerson& p = graph.persons[static_cast<size_t>(graph.IndexOf(id))];
      out << fmt::format("{},person {},{},{},{},{},{}\r\n", p.id, p.id, n->id, p.reported, p.victim,
                         p.youngest_age ? std::to_string(*p.youngest_age) : "", p.report_count);
    }
  }
}

void WriteEdgesCsv(std::ostream& out, const Graph& graph, const std::vector<const Network*>& networks) {
  out << "Source,Target,Type,Kind,Via,Offender,ReportCount,ReportIds,Network,ChatCount,ChatEvidence\r\n";
  ForEachEdge(networks, [&](size_t i, const Network& n) {
    const GraphEdge& e = graph.edges[i];
    out << fmt::format("{},{},Undirected,{},{},{},{},{},{},{},{}\r\n", e.a, e.b, EdgeKindName(e.kind), CsvField(e.via),
                       e.kind == EdgeKind::kOffenderVictim ? std::to_string(e.offender) : "", e.report_count,
                       JoinIds(e.report_ids), n.id, e.chat_count, CsvField(ChatEvidenceText(e)));
  });
}

}  // namespace sg::linking
