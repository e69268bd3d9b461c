// Fuzzes the network analysis with arbitrary report facts and group lines:
// BuildGraph, FindNetworks (Leiden offered components over 4 persons) and
// GroupKey must not crash, and their invariants must hold: every person in
// at most one network, every network id its smallest member, every risk
// the sum of its reasons' points, every edge between two known persons.
//
// Input: a line of text (the additional_info given to GroupKey), then
// records of 4 bytes: reported person, victim person (0 = none), victim
// age, flags (bit 0 danger, bit 1 category A, bits 2..3 a series 0..3).
// A record with flag bit 4 is a chat conversation instead (chat edges):
// two authors (the first two bytes as persons, one of them two persons
// when bit 6 is set), the third byte the second author's disclosed age
// (0..29; 30 and over: none), bit 5 flagged; its lines come from the bytes.
// Every edge must then have evidence: reports or chat conversations.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "linking/network_graph.h"
#include "linking/networks.h"
#include "linking/report_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t nl = text.find('\n');
  const std::string info = text.substr(0, nl);
  auto group = sg::linking::GroupKey(std::string("ExampleChat"), info);
  if (group && group->rfind("examplechat/", 0) != 0) std::abort();

  sg::linking::GraphInput in;
  size_t pos = nl == std::string::npos ? size : nl + 1;
  for (int64_t report = 1; pos + 4 <= size; pos += 4, ++report) {
    if (data[pos + 3] & 16) {
      sg::linking::ChatConversationFacts c;
      c.chat_log_id = report % 5;
      c.conversation = "c" + std::to_string(data[pos] % 3);
      c.flagged = data[pos + 3] & 32;
      c.lines = {1, static_cast<uint64_t>(data[pos + 1]) + 2};
      sg::linking::ChatAuthorFacts a, b;
      a.person_ids = {data[pos] % 64 + 1};
      if (data[pos + 3] & 64) a.person_ids.push_back(data[pos + 2] % 64 + 1);
      b.person_ids = {data[pos + 1] % 64 + 1};
      if (data[pos + 2] < 30) {
        b.age_low = data[pos + 2];
        b.age_high = data[pos + 2] + (data[pos + 3] >> 7);
      }
      c.authors = {a, b};
      in.chats.push_back(std::move(c));
      continue;
    }
    sg::linking::ReportFacts r;
    r.report_id = report;
    r.reported.push_back(data[pos] % 64 + 1);
    if (data[pos + 1] != 0) r.victims.push_back({data[pos + 1] % 64 + 1, data[pos + 2] % 20});
    r.immediate_danger = data[pos + 3] & 1;
    r.category_a = data[pos + 3] & 2;
    r.series.push_back("s" + std::to_string((data[pos + 3] >> 2) & 3));
    if (report % 3 == 0) r.group = group;
    in.reports.push_back(std::move(r));
  }
  sg::linking::GraphOptions graph_options;
  graph_options.max_shared_members = 8;
  const sg::linking::Graph g = sg::linking::BuildGraph(in, graph_options);
  for (const auto& e : g.edges) {
    if (e.a >= e.b || g.IndexOf(e.a) < 0 || g.IndexOf(e.b) < 0) std::abort();
    if (e.report_ids.empty() && e.chats.empty()) std::abort();
    if (e.chat_count < static_cast<int64_t>(e.chats.size())) std::abort();
  }
  sg::linking::NetworkOptions options;
  options.split_min_persons = 4;
  auto networks = sg::linking::FindNetworks(g, options);
  if (!networks.ok()) std::abort();
  std::set<int64_t> seen;
  for (const auto& n : *networks) {
    if (n.person_ids.empty() || n.id != n.person_ids.front()) std::abort();
    int sum = 0;
    for (const auto& r : n.risk.reasons) sum += r.points;
    if (sum != n.risk.score) std::abort();
    for (int64_t p : n.person_ids) {
      if (!seen.insert(p).second) std::abort();
    }
  }
  return 0;
}
