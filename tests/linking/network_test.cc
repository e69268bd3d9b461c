// The network analysis as pure functions over hand-written report facts:
// edges and their evidence, components (against igraph), the Leiden split
// rule, the risk terms, and ids that survive a rebuild.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include <gtest/gtest.h>
#include <igraph/igraph.h>

#include "linking/network_export.h"
#include "linking/network_graph.h"
#include "linking/report_input.h"
#include "linking/networks.h"

namespace sg::linking {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kNow = 1'800'000'000'000;  // 2027-01-15

ReportFacts Report(int64_t id, std::vector<int64_t> reported, std::vector<VictimMention> victims = {}) {
  ReportFacts r;
  r.report_id = id;
  r.reported = std::move(reported);
  r.victims = std::move(victims);
  r.time_ms = kNow - 400 * kDay;
  return r;
}

const GraphEdge* FindEdge(const Graph& g, int64_t a, int64_t b, EdgeKind kind) {
  for (const GraphEdge& e : g.edges) {
    if (e.a == std::min(a, b) && e.b == std::max(a, b) && e.kind == kind) return &e;
  }
  return nullptr;
}

std::vector<Network> Networks(const GraphInput& in, NetworkOptions options = {}) {
  options.now_ms = kNow;
  auto r = FindNetworks(BuildGraph(in), options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : std::vector<Network>{};
}

const Network* WithId(const std::vector<Network>& ns, int64_t id) {
  for (const Network& n : ns) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

TEST(NetworkGraph, EdgesKeepTheirEvidence) {
  GraphInput in;
  in.reports.push_back(Report(10, {1}, {{2, 12}}));
  in.reports.push_back(Report(11, {1}, {{2, 11}}));
  in.reports.push_back(Report(12, {3, 4}, {{2, std::nullopt}}));
  Graph g = BuildGraph(in);
  const GraphEdge* ov = FindEdge(g, 1, 2, EdgeKind::kOffenderVictim);
  ASSERT_NE(ov, nullptr);
  EXPECT_EQ(ov->offender, 1);
  EXPECT_EQ(ov->report_ids, (std::vector<int64_t>{10, 11}));
  EXPECT_EQ(ov->report_count, 2);
  const GraphEdge* contact = FindEdge(g, 3, 4, EdgeKind::kContact);
  ASSERT_NE(contact, nullptr);
  EXPECT_EQ(contact->report_ids, (std::vector<int64_t>{12}));
  // 1, 3 and 4 all targeted person 2.
  const GraphEdge* shared = FindEdge(g, 1, 3, EdgeKind::kSharedVictim);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->via, "2");
  EXPECT_EQ(shared->report_ids, (std::vector<int64_t>{10, 11, 12}));
  EXPECT_NE(FindEdge(g, 3, 4, EdgeKind::kSharedVictim), nullptr);
  ASSERT_GE(g.IndexOf(2), 0);
  EXPECT_EQ(g.persons[g.IndexOf(2)].youngest_age, 11);
  EXPECT_TRUE(g.persons[g.IndexOf(2)].victim);
  EXPECT_FALSE(g.persons[g.IndexOf(2)].reported);
}

TEST(NetworkGraph, SharedSeriesAndGroupsButNotWidespreadOnes) {
  GraphInput in;
  ReportFacts a = Report(1, {100}), b = Report(2, {101});
  a.series = {"series-k"};
  b.series = {"series-k", "series-k"};
  a.group = b.group = "chatapp/club";
  in.reports = {a, b};
  // "everywhere" is matched by 60 offenders: more than max_shared_members.
  for (int i = 0; i < 60; ++i) {
    ReportFacts r = Report(100 + i, {200 + i});
    r.series = {"everywhere"};
    in.reports.push_back(r);
  }
  Graph g = BuildGraph(in);
  const GraphEdge* s = FindEdge(g, 100, 101, EdgeKind::kSharedSeries);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->via, "series-k");
  EXPECT_EQ(s->report_ids, (std::vector<int64_t>{1, 2}));
  const GraphEdge* grp = FindEdge(g, 100, 101, EdgeKind::kSharedGroup);
  ASSERT_NE(grp, nullptr);
  EXPECT_EQ(grp->via, "chatapp/club");
  EXPECT_EQ(g.stats.widespread_series, 1u);
  EXPECT_EQ(FindEdge(g, 200, 201, EdgeKind::kSharedSeries), nullptr);
}

ChatAuthorFacts Author(std::string name, std::vector<int64_t> persons, std::optional<int> low = std::nullopt,
                       std::optional<int> high = std::nullopt) {
  ChatAuthorFacts a;
  a.name = std::move(name);
  a.person_ids = std::move(persons);
  a.age_low = low;
  a.age_high = high;
  return a;
}

ChatConversationFacts Chat(int64_t log, std::string id, bool flagged, std::vector<ChatAuthorFacts> authors,
                           std::vector<uint64_t> lines = {2, 3}) {
  ChatConversationFacts c;
  c.chat_log_id = log;
  c.conversation = std::move(id);
  c.flagged = flagged;
  c.lines = std::move(lines);
  c.authors = std::move(authors);
  return c;
}

TEST(NetworkGraph, AnAdultChattingWithAMinorIsAnOffenderVictimEdgeWithChatEvidence) {
  GraphInput in;
  in.reports.push_back(Report(10, {1}));  // person 1 is a reported person; 2 appears in no report
  in.reports.push_back(Report(11, {3}));
  // 1 (reported, no age disclosed) chats with 2, who disclosed 12-13.
  in.chats.push_back(Chat(7, "c1", false, {Author("harbour_fox", {1}), Author("sky_walker", {2}, 12, 13)}, {4, 9}));
  Graph g = BuildGraph(in);
  const GraphEdge* ov = FindEdge(g, 1, 2, EdgeKind::kOffenderVictim);
  ASSERT_NE(ov, nullptr);
  EXPECT_EQ(ov->offender, 1);
  EXPECT_EQ(ov->report_count, 0);
  EXPECT_TRUE(ov->report_ids.empty());
  EXPECT_EQ(ov->chat_count, 1);
  ASSERT_EQ(ov->chats.size(), 1u);
  EXPECT_EQ(ov->chats[0], (ChatEvidence{7, "c1", false, {4, 9}}));
  // The minor is a victim of the graph, with the disclosed age; the person
  // no report names is a node all the same.
  ASSERT_GE(g.IndexOf(2), 0);
  const GraphPerson& child = g.persons[static_cast<size_t>(g.IndexOf(2))];
  EXPECT_TRUE(child.victim);
  EXPECT_EQ(child.youngest_age, 12);
  EXPECT_EQ(child.report_count, 0);
  EXPECT_EQ(g.stats.chat_conversations, 1u);
  EXPECT_EQ(g.stats.chat_edges, 1u);
  // And it is a network, ranked with the child's age.
  std::vector<Network> ns = Networks(in);
  ASSERT_NE(WithId(ns, 1), nullptr);
  EXPECT_EQ(WithId(ns, 1)->person_ids, (std::vector<int64_t>{1, 2}));
  boost::json::object detail = NetworkDetailJson(g, *WithId(ns, 1));
  const auto& edge = detail.at("edges").as_array()[0].as_object();
  EXPECT_EQ(edge.at("chat_count").as_int64(), 1);
  const auto& evidence = edge.at("chat_evidence").as_array()[0].as_object();
  EXPECT_EQ(evidence.at("chat_log_id").as_int64(), 7);
  EXPECT_EQ(evidence.at("conversation").as_string(), "c1");
  EXPECT_EQ(evidence.at("lines").as_array().size(), 2u);
}

TEST(NetworkGraph, AChatAndAReportNamingTheSamePairAreOneEdgeWithBoth) {
  GraphInput in;
  in.reports.push_back(Report(10, {1}, {{2, 11}}));
  // The victim's known age (11) makes 2 a minor whatever they disclosed.
  in.chats.push_back(Chat(5, "c1", true, {Author("a", {1}), Author("b", {2}, 19, 19)}));
  in.chats.push_back(Chat(4, "c9", false, {Author("a", {1}), Author("b", {2})}));
  Graph g = BuildGraph(in);
  const GraphEdge* ov = FindEdge(g, 1, 2, EdgeKind::kOffenderVictim);
  ASSERT_NE(ov, nullptr);
  EXPECT_EQ(ov->report_ids, (std::vector<int64_t>{10}));
  EXPECT_EQ(ov->chat_count, 2);
  ASSERT_EQ(ov->chats.size(), 2u);
  EXPECT_EQ(ov->chats[0].chat_log_id, 4);  // by (log, conversation)
  EXPECT_EQ(ov->chats[1].chat_log_id, 5);
  EXPECT_EQ(g.persons[static_cast<size_t>(g.IndexOf(2))].youngest_age, 11);  // the known age stays
  EXPECT_EQ(g.edges.size(), 1u);
}

TEST(NetworkGraph, ContactBetweenAdultsOnlyInAFlaggedConversation) {
  GraphInput in;
  in.chats.push_back(Chat(1, "plain", false, {Author("a", {1}, 30, 30), Author("b", {2}, 40, 40)}));
  EXPECT_TRUE(BuildGraph(in).edges.empty());
  in.chats.push_back(Chat(1, "flagged", true, {Author("a", {1}, 30, 30), Author("b", {2}, 40, 40)}));
  Graph g = BuildGraph(in);
  ASSERT_EQ(g.edges.size(), 1u);
  EXPECT_EQ(g.edges[0].kind, EdgeKind::kContact);
  EXPECT_EQ(g.edges[0].chats, (std::vector<ChatEvidence>{{1, "flagged", true, {2, 3}}}));
  EXPECT_FALSE(g.persons[0].victim);
}

TEST(NetworkGraph, NoChatEdgeWithoutAnAdultAndAMinor) {
  GraphInput in;
  in.reports.push_back(Report(10, {}, {{5, std::nullopt}}));  // 5: a victim without an age
  // Two minors; a minor and someone of unknown age (a victim, not reported);
  // one person under two names; a range across 18.
  in.chats.push_back(Chat(1, "peers", true, {Author("a", {1}, 13, 13), Author("b", {2}, 14, 14)}));
  in.chats.push_back(Chat(1, "unknown", true, {Author("a", {1}, 13, 13), Author("c", {5})}));
  in.chats.push_back(Chat(1, "self", true, {Author("a", {3}, 30, 30), Author("a2", {3}, 12, 12)}));
  in.chats.push_back(Chat(1, "straddle", true, {Author("a", {1}, 13, 13), Author("d", {6}, 17, 18)}));
  Graph g = BuildGraph(in);
  EXPECT_TRUE(g.edges.empty());
  EXPECT_EQ(g.stats.chat_edges, 0u);
}

TEST(NetworkGraph, TwoAdultsChattingWithOneMinorShareAVictim) {
  GraphInput in;
  in.chats.push_back(Chat(1, "c1", false, {Author("a", {1}, 35, 35), Author("k", {9}, 12, 12)}));
  in.chats.push_back(Chat(2, "c1", false, {Author("b", {4}, 40, 40), Author("k", {9}, 12, 12)}));
  Graph g = BuildGraph(in);
  const GraphEdge* shared = FindEdge(g, 1, 4, EdgeKind::kSharedVictim);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->via, "9");
  EXPECT_EQ(shared->chat_count, 2);
  EXPECT_TRUE(shared->report_ids.empty());
  // Edges and evidence do not depend on the order of the conversations.
  std::swap(in.chats[0], in.chats[1]);
  Graph h = BuildGraph(in);
  ASSERT_EQ(h.edges.size(), g.edges.size());
  for (size_t i = 0; i < g.edges.size(); ++i) EXPECT_EQ(h.edges[i].chats, g.edges[i].chats);
}

TEST(NetworkGraph, GroupKeyReadsAGroupLine) {
  EXPECT_EQ(GroupKey(std::string("ChatApp"), std::string("Seen twice.\n  Group:  Night Owls \nend")),
            "chatapp/night owls");
  EXPECT_EQ(GroupKey(std::nullopt, std::string("group: x")), "/x");
  EXPECT_EQ(GroupKey(std::string("ChatApp"), std::string("no group here")), std::nullopt);
  EXPECT_EQ(GroupKey(std::string("ChatApp"), std::string("group:   ")), std::nullopt);
  EXPECT_EQ(GroupKey(std::string("ChatApp"), std::nullopt), std::nullopt);
}

TEST(Networks, ComponentsOfTwoOrMorePersons) {
  GraphInput in;
  in.reports.push_back(Report(1, {7}, {{5, 10}}));
  in.reports.push_back(Report(2, {9}, {{5, 13}}));  // shares victim 5 with 7
  in.reports.push_back(Report(3, {20}, {{21, 14}}));
  in.reports.push_back(Report(4, {30}));            // alone: not a network
  std::vector<Network> ns = Networks(in);
  ASSERT_EQ(ns.size(), 2u);
  const Network* first = WithId(ns, 5);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->person_ids, (std::vector<int64_t>{5, 7, 9}));
  EXPECT_FALSE(first->split);
  ASSERT_NE(WithId(ns, 20), nullptr);
  EXPECT_EQ(WithId(ns, 20)->person_ids, (std::vector<int64_t>{20, 21}));
  // Ranked: the network with two offenders and a victim of 10 first.
  EXPECT_EQ(ns[0].id, 5);
}

TEST(Networks, UnionFindAgreesWithIgraph) {
  std::mt19937 rng(7);
  GraphInput in;
  for (int r = 0; r < 3000; ++r) {
    std::uniform_int_distribution<int64_t> person(1, 4000);
    in.reports.push_back(Report(r + 1, {person(rng)}, {{person(rng), 12}}));
  }
  Graph g = BuildGraph(in);
  std::vector<int64_t> ours = ConnectedComponents(g);

  igraph_vector_int_t edges, membership;
  igraph_vector_int_init(&edges, 0);
  for (const GraphEdge& e : g.edges) {
    igraph_vector_int_push_back(&edges, g.IndexOf(e.a));
    igraph_vector_int_push_back(&edges, g.IndexOf(e.b));
  }
  igraph_t ig;
  ASSERT_EQ(igraph_create(&ig, &edges, static_cast<igraph_integer_t>(g.persons.size()), IGRAPH_UNDIRECTED), IGRAPH_SUCCESS);
  igraph_vector_int_init(&membership, 0);
  igraph_integer_t count = 0;
  ASSERT_EQ(igraph_connected_components(&ig, &membership, nullptr, &count, IGRAPH_WEAK), IGRAPH_SUCCESS);
  // Same partition: two persons share a component in one iff in the other.
  std::map<int64_t, igraph_integer_t> ours_to_theirs;
  std::set<int64_t> distinct(ours.begin(), ours.end());
  EXPECT_EQ(static_cast<igraph_integer_t>(distinct.size()), count);
  for (size_t i = 0; i < ours.size(); ++i) {
    auto [it, fresh] = ours_to_theirs.try_emplace(ours[i], VECTOR(membership)[i]);
    EXPECT_EQ(it->second, VECTOR(membership)[i]) << "person " << g.persons[i].id;
  }
  igraph_vector_int_destroy(&membership);
  igraph_vector_int_destroy(&edges);
  igraph_destroy(&ig);
}

// Two cliques of `size` offenders (contact edges), ids from `base` and
// base + 1000, joined by one contact edge.
GraphInput TwoClusters(int64_t size, int64_t base) {
  GraphInput in;
  int64_t report = 1;
  for (int64_t c : {base, base + 1000}) {
    for (int64_t i = 0; i < size; ++i) {
      for (int64_t j = i + 1; j < size; ++j) in.reports.push_back(Report(report++, {c + i, c + j}));
    }
  }
  in.reports.push_back(Report(report++, {base + 3, base + 1000 + 4}));
  return in;
}

TEST(Networks, LeidenSplitsTwoClustersJoinedByOneEdge) {
  std::vector<Network> ns = Networks(TwoClusters(30, 1));
  ASSERT_EQ(ns.size(), 2u);
  for (const Network& n : ns) {
    EXPECT_TRUE(n.split);
    EXPECT_EQ(n.component_id, 1);
    EXPECT_EQ(n.person_ids.size(), 30u);
    EXPECT_EQ(n.edges.size(), 30u * 29 / 2);
    ASSERT_EQ(n.bridges.size(), 1u);
  }
  ASSERT_NE(WithId(ns, 1), nullptr);
  ASSERT_NE(WithId(ns, 1001), nullptr);
  EXPECT_EQ(WithId(ns, 1001)->person_ids.front(), 1001);

  // Below the size bar, the same shape stays one network.
  NetworkOptions small;
  small.split_min_persons = 100;
  ns = Networks(TwoClusters(30, 1), small);
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_FALSE(ns[0].split);
  EXPECT_TRUE(ns[0].bridges.empty());
}

TEST(Networks, ADenseOrStarShapedComponentIsNotSplit) {
  GraphInput star;
  std::vector<VictimMention> victims;
  for (int64_t v = 2; v < 90; ++v) star.reports.push_back(Report(v, {1}, {{v, 13}}));
  std::vector<Network> ns = Networks(star);
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_FALSE(ns[0].split);
  EXPECT_EQ(ns[0].person_ids.size(), 89u);

  GraphInput clique;  // 60 offenders all in contact: one dense network
  int64_t report = 1;
  for (int64_t i = 0; i < 60; ++i) {
    for (int64_t j = i + 1; j < 60; ++j) clique.reports.push_back(Report(report++, {i + 1, j + 1}));
  }
  ns = Networks(clique);
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_FALSE(ns[0].split);
}

TEST(Networks, RiskTermsSumToTheScore) {
  GraphInput in;
  ReportFacts r1 = Report(1, {1}, {{2, 9}, {3, 14}});
  r1.category_a = true;
  r1.time_ms = kNow - 10 * kDay;
  ReportFacts r2 = Report(2, {4}, {{3, 15}, {5, 19}});  // 5 is an adult by the report
  r2.immediate_danger = true;
  in.reports = {r1, r2};
  std::vector<Network> ns = Networks(in);
  ASSERT_EQ(ns.size(), 1u);
  const Risk& risk = ns[0].risk;
  std::map<std::string, RiskReason> by_key;
  int sum = 0;
  for (const RiskReason& r : risk.reasons) {
    by_key[r.key] = r;
    sum += r.points;
    EXPECT_FALSE(r.text.empty()) << r.key;
  }
  EXPECT_EQ(sum, risk.score);
  ASSERT_EQ(by_key.size(), 6u);
  EXPECT_EQ(by_key["child_victims"].value, 2);  // 2 and 3; not 5
  EXPECT_EQ(by_key["child_victims"].points, 30);
  EXPECT_EQ(by_key["youngest_victim_age"].value, 9);
  EXPECT_EQ(by_key["youngest_victim_age"].points, 27);
  EXPECT_EQ(by_key["category_a"].points, 40);
  EXPECT_EQ(by_key["immediate_danger"].points, 60);
  EXPECT_EQ(by_key["recency"].value, 10);
  EXPECT_EQ(by_key["recency"].points, 30);
  EXPECT_EQ(by_key["size"].value, 5);
  EXPECT_EQ(by_key["size"].points, 4);
  EXPECT_EQ(risk.score, 30 + 27 + 40 + 60 + 30 + 4);
}

TEST(Networks, IdsAreStableAcrossRebuildsAndMerges) {
  GraphInput in = TwoClusters(30, 1);
  for (int64_t v = 0; v < 5; ++v) in.reports.push_back(Report(5000 + v, {500}, {{600 + v, 12}}));
  for (int64_t i = 0; i < 3; ++i) {  // series and groups too, named out of order
    ReportFacts r = Report(7000 + i, {800 + i});
    r.series = {i % 2 ? "zeta" : "alpha"};
    r.group = i % 2 ? "app/b" : "app/a";
    in.reports.push_back(r);
  }
  std::vector<Network> before = Networks(in);
  const Graph graph_before = BuildGraph(in);
  std::shuffle(in.reports.begin(), in.reports.end(), std::mt19937(3));
  const Graph graph_again = BuildGraph(in);
  ASSERT_EQ(graph_before.edges.size(), graph_again.edges.size());
  for (size_t i = 0; i < graph_before.edges.size(); ++i) {
    const GraphEdge &x = graph_before.edges[i], &y = graph_again.edges[i];
    EXPECT_EQ(std::tie(x.a, x.b, x.kind, x.via, x.offender, x.report_ids), std::tie(y.a, y.b, y.kind, y.via, y.offender, y.report_ids))
        << "edge " << i;
  }
  std::vector<Network> again = Networks(in);
  ASSERT_EQ(before.size(), again.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i].id, again[i].id);
    EXPECT_EQ(before[i].person_ids, again[i].person_ids);
    EXPECT_EQ(before[i].risk.score, again[i].risk.score);
  }
  // A report joining network 500 to a new offender 450: the merged network keeps the
  // smaller id, 450.
  in.reports.push_back(Report(9000, {450, 500}));
  std::vector<Network> merged = Networks(in);
  ASSERT_NE(WithId(merged, 450), nullptr);
  EXPECT_EQ(WithId(merged, 450)->person_ids.size(), 7u);
  EXPECT_EQ(WithId(merged, 500), nullptr);
  EXPECT_NE(WithId(merged, 1), nullptr);
}

TEST(NetworkExport, CsvQuotesAndGraphMlEscapes) {
  GraphInput in;
  ReportFacts a = Report(1, {1}), b = Report(2, {2});
  a.series = b.series = {"=cmd, \"x\" <y>"};
  in.reports = {a, b};
  Graph g = BuildGraph(in);
  NetworkOptions o;
  auto ns = FindNetworks(g, o);
  ASSERT_TRUE(ns.ok());
  ASSERT_EQ(ns->size(), 1u);
  std::vector<const Network*> all = {&(*ns)[0]};
  std::ostringstream edges, graphml;
  WriteEdgesCsv(edges, g, all);
  EXPECT_NE(edges.str().find("\"'=cmd, \"\"x\"\" <y>\""), std::string::npos) << edges.str();
  WriteGraphMl(graphml, g, all);
  EXPECT_NE(graphml.str().find("=cmd, &quot;x&quot; &lt;y&gt;"), std::string::npos) << graphml.str();
  boost::json::object detail = NetworkDetailJson(g, (*ns)[0]);
  EXPECT_EQ(detail.at("edges").as_array().size(), 1u);
  EXPECT_EQ(detail.at("nodes").as_array().size(), 2u);
}

TEST(NetworkExport, ChatEvidenceInEveryFormat) {
  GraphInput in;
  in.chats.push_back(Chat(3, "c,\"1\"", true, {Author("a", {1}, 30, 30), Author("b", {2}, 13, 13)}, {5}));
  Graph g = BuildGraph(in);
  auto ns = FindNetworks(g, NetworkOptions{});
  ASSERT_TRUE(ns.ok());
  ASSERT_EQ(ns->size(), 1u);
  std::vector<const Network*> all = {&(*ns)[0]};
  std::ostringstream edges, graphml;
  WriteEdgesCsv(edges, g, all);
  EXPECT_NE(edges.str().find("Network,ChatCount,ChatEvidence\r\n"), std::string::npos) << edges.str();
  EXPECT_NE(edges.str().find(",1,\"[{\"\"chat_log_id\"\":3,\"\"conversation\"\":\"\"c,\\\"\"1\\\"\"\"\","),
            std::string::npos)
      << edges.str();
  WriteGraphMl(graphml, g, all);
  EXPECT_NE(graphml.str().find("<data key=\"chat_count\">1</data><data key=\"chat_evidence\">[{&quot;chat_log_id&quot;:3,"),
            std::string::npos)
      << graphml.str();
}

}  // namespace
}  // namespace sg::linking
