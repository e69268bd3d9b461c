#include "linking/rebuild.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "linking/rebuild_diff.h"
#include "linking/rebuild_model.h"
#include "linking/union_find.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

// Whether the stored mention rows were written under this build's rules.
Result<bool> StoredRowsAreCurrent(store::Connection& conn) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT value FROM store_meta WHERE key = 'link_rules'"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  return row && q->Text(0) == std::to_string(kLinkRulesVersion);
}

// Changes whenever linking state changes: a report is stored (and linked),
// a mention moves to another person, a person is made or resized, a
// decision is taken or undone, a candidate is decided. Sums move with any
// re-pointing; two changes that cancel exactly are not expected.
Result<std::vector<int64_t>> Fingerprint(store::Connection& conn) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(
      "SELECT (SELECT coalesce(max(id), 0) FROM reports),"
      " (SELECT count(*) FROM report_persons), (SELECT CAST(coalesce(sum(person_id), 0) AS BIGINT) FROM report_persons),"
      " (SELECT count(*) FROM persons), (SELECT CAST(coalesce(sum(size), 0) AS BIGINT) FROM persons),"
      " (SELECT coalesce(max(id), 0) FROM link_decisions), (SELECT count(*) FROM link_decisions WHERE active = 1),"
      " (SELECT count(*) FROM link_candidates), (SELECT count(*) FROM link_candidates WHERE status = 'pending')"));
  SG_RETURN_IF_ERROR(q->Bind({}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  std::vector<int64_t> out;
  for (int i = 0; row && i < 9; ++i) out.push_back(q->Int(i));
  return out;
}

// A decision's node text -> its union-find node, if the model has it.
// Nodes are identifiers [0, identifiers) then mentions.
std::optional<uint32_t> FindNode(const LinkModel& model, const std::string& text) {
  const uint32_t identifiers = model.identifiers.size();
  if (text.rfind("mention:", 0) == 0) {
    int64_t report = 0;
    int index = 0;
    char role[16] = {0};
    if (std::sscanf(text.c_str(), "mention:%ld:%15[a-z]:%d", &report, role, &index) != 3) return std::nullopt;
    auto m = model.FindMention(report, std::string_view(role) == kRoleVictim, index);
    if (!m) return std::nullopt;
    return identifiers + *m;
  }
  return model.identifiers.Find(text);
}

// Splits as constraints, the reports' strong identifiers in report order,
// then merges (the Linker's rules); then person ids: a component keeps the
// old id of its first mention unless another already took it.
Resolution Resolve(const LinkModel& model, const OldState& old) {
  const uint32_t identifiers = model.identifiers.size();
  auto mention_node = [&](size_t m) { return static_cast<uint32_t>(identifiers + m); };
  UnionFind uf(identifiers + model.mentions.size());
  auto nodes_of = [&](const json::object& d, std::string_view key) {
    std::vector<uint32_t> out;
    if (const json::value* v = d.if_contains(key); v != nullptr && v->is_array()) {
      for (const json::value& t : v->as_array()) {
        if (!t.is_string()) continue;
        if (auto n = FindNode(model, std::string(t.as_string()))) out.push_back(*n);
      }
    }
    return out;
  };
  for (const Decision& d : old.decisions) {
    if (d.action != "split") continue;
    for (auto [key, side] : {std::pair<std::string_view, bool>{"split", true}, {"rest", false}}) {
      const std::vector<uint32_t> side_nodes = nodes_of(d.details, key);
      for (size_t i = 1; i < side_nodes.size(); ++i) uf.Join(side_nodes[0], side_nodes[i], true);
      if (!side_nodes.empty()) uf.AddTag(side_nodes[0], {d.id, side});
    }
  }
  for (size_t m = 0; m < model.mentions.size(); ++m) {
    for (uint32_t i = model.mentions[m].begin; i < model.mentions[m].end; ++i) {
      if (IsStrong(model.identifiers.kind(model.ids[i]))) uf.Join(mention_node(m), model.ids[i], false);
    }
  }
  for (const Decision& d : old.decisions) {
    if (d.action != "merge") continue;
    std::vector<uint32_t> both = nodes_of(d.details, "nodes");
    for (size_t i = 1; i < both.size(); ++i) uf.Join(both[0], both[i], true);
  }

  Resolution res;
  int64_t max_id = old.max_person;
  std::vector<int64_t> person_of_root(uf.size(), 0);  // by root node; 0: none yet
  std::vector<bool> used;                            // by person id
  auto is_used = [&](int64_t id) { return id > 0 && static_cast<size_t>(id) < used.size() && used[id]; };
  auto assign = [&](uint32_t root, int64_t wanted) {
    if (person_of_root[root] != 0) return person_of_root[root];
    int64_t id = wanted;
    if (id <= 0 || is_used(id)) id = ++max_id;
    if (static_cast<size_t>(id) >= used.size()) used.resize(static_cast<size_t>(id) * 2 + 1024, false);
    used[id] = true;
    person_of_root[root] = id;
    return id;
  };
  res.mention_person.resize(model.mentions.size());
  for (size_t m = 0; m < model.mentions.size(); ++m) {
    res.mention_person[m] = assign(uf.Find(mention_node(m)), model.mentions[m].old_person);
  }
  // Old ids that no person keeps answer on: each redirects (merged_into,
  // as after a merge) to the person holding the first of its mentions, and
  // an id merged away before the rebuild to where its survivor went. So an
  // id an analyst noted down still finds its person after `safeguard link`.
  for (size_t m = 0; m < model.mentions.size(); ++m) {
    const int64_t old_id = model.mentions[m].old_person;
    if (old_id > 0 && !is_used(old_id)) res.redirects.emplace(old_id, res.mention_person[m]);
  }
  for (const auto& [gone, person] : old.persons) {
    if (!person.merged_into) continue;
    int64_t live = *person.merged_into;
    for (int hops = 0; hops < 1000; ++hops) {
      auto it = old.persons.find(live);
      if (it == old.persons.end() || !it->second.merged_into) break;
      live = *it->second.merged_into;
    }
    int64_t target = 0;
    if (is_used(live)) {
      target = live;
    } else if (auto it = res.redirects.find(live); it != res.redirects.end()) {
      target = it->second;
    }
    if (target != 0 && !is_used(gone)) res.redirects.emplace(gone, target);
  }
  res.identifier_person.assign(identifiers, 0);
  for (uint32_t i = 0; i < identifiers; ++i) {
    if (IsStrong(model.identifiers.kind(i))) res.identifier_person[i] = assign(uf.Find(i), 0);
  }
  res.sizes.assign(static_cast<size_t>(max_id) + 1, 0);
  for (int64_t p : res.mention_person) ++res.sizes[p];
  for (int64_t p : res.identifier_person) {
    if (p != 0) ++res.sizes[p];
  }
  for (int64_t n : res.sizes) res.persons += n > 0 ? 1 : 0;
  for (const auto& [root, tags] : uf.tags()) {
    if (person_of_root[root] == 0) continue;
    for (const auto& [decision, side] : tags) res.split_tags.emplace_back(person_of_root[root], decision, side);
  }
  return res;
}

// Pending candidates from weak evidence between the final persons, by the
// same rules as at intake: once per (pair of persons, kind, value), never
// for a pair already decided on that value.
std::vector<Proposal> ProposeCandidates(const LinkModel& model, const OldState& old, const Resolution& res,
                                        const LinkOptions& options) {
  using Key = std::tuple<int64_t, int64_t, std::string_view, std::string_view>;
  std::set<Key> decided;
  for (const OldCandidate& c : old.candidates) {
    if (c.pending) continue;
    const auto [a, b] = NewPersons(c, res);
    decided.emplace(std::min(a, b), std::max(a, b), c.kind, c.value);
  }
  std::vector<Proposal> out;
  const size_t max_persons = static_cast<size_t>(options.max_persons_per_weak_value);
  auto propose = [&](uint32_t ma, uint32_t mb, uint32_t ident, double score) {
    const int64_t pa = res.mention_person[ma], pb = res.mention_person[mb];
    if (pa == pb) return;
    const std::string_view kind = model.identifiers.Kind(ident), value = model.identifiers.Value(ident);
    if (!decided.emplace(std::min(pa, pb), std::max(pa, pb), kind, value).second) return;
    out.push_back({ma, mb, ident, score});
  };
  // Display names: every pair of persons sharing one, unless too many do.
  std::vector<std::pair<uint32_t, uint32_t>> names;  // (identifier, mention)
  for (size_t m = 0; m < model.mentions.size(); ++m) {
    for (uint32_t i = model.mentions[m].begin; i < model.mentions[m].end; ++i) {
      if (model.identifiers.kind(model.ids[i]) == IdentifierKind::kDisplayName) {
        names.emplace_back(model.ids[i], static_cast<uint32_t>(m));
      }
    }
  }
  std::sort(names.begin(), names.end());
  for (size_t at = 0; at < names.size();) {
    size_t end = at;
    std::vector<uint32_t> firsts;  // the first mention of each person, in order
    std::set<int64_t> seen;
    while (end < names.size() && names[end].first == names[at].first) {
      if (seen.insert(res.mention_person[names[end].second]).second) firsts.push_back(names[end].second);
      ++end;
    }
    if (firsts.size() <= max_persons) {
      for (size_t i = 0; i < firsts.size(); ++i) {
        for (size_t j = i + 1; j < firsts.size(); ++j) propose(firsts[i], firsts[j], names[at].first, kDisplayNameScore);
      }
    }
    at = end;
  }
  // IP captures: the same address and port within the window; the closest
  // pair of captures for each pair of persons.
  std::vector<Capture> caps = model.captures;
  std::sort(caps.begin(), caps.end(), [](const Capture& a, const Capture& b) {
    return std::tie(a.ip, a.port, a.time_ms, a.mention) < std::tie(b.ip, b.port, b.time_ms, b.mention);
  });
  const int64_t window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options.ip_window).count();
  for (size_t at = 0; at < caps.size();) {
    size_t end = at;
    std::set<int64_t> persons;
    while (end < caps.size() && caps[end].ip == caps[at].ip && caps[end].port == caps[at].port) {
      persons.insert(res.mention_person[caps[end].mention]);
      ++end;
    }
    if (persons.size() <= max_persons) {
      std::map<std::pair<int64_t, int64_t>, std::tuple<int64_t, uint32_t, uint32_t>> best;
      for (size_t i = at; i < end; ++i) {
        for (size_t j = i + 1; j < end && caps[j].time_ms - caps[i].time_ms <= window_ms; ++j) {
          uint32_t mi = caps[i].mention, mj = caps[j].mention;
          if (res.mention_person[mi] == res.mention_person[mj]) continue;
          if (mi > mj) std::swap(mi, mj);
          const auto key = std::make_pair(res.mention_person[mi], res.mention_person[mj]);
          const int64_t apart = caps[j].time_ms - caps[i].time_ms;
          auto it = best.find(key);
          if (it == best.end() || apart < std::get<0>(it->second)) best[key] = {apart, mi, mj};
        }
      }
      for (const auto& [pair, b] : best) {
        propose(std::get<1>(b), std::get<2>(b), caps[at].ip,
                IpScore(std::chrono::milliseconds(std::get<0>(b)), options.ip_window));
      }
    }
    at = end;
  }
  return out;
}

}  // namespace

Result<RebuildStats> Rebuild(store::Connection& conn, const LinkOptions& options, ProgressBar* progress,
                             const RebuildOptions& rebuild) {
  bool from_bodies = rebuild.source == RebuildSource::kReportBodies;
  if (!from_bodies) {
    SG_ASSIGN_OR_RETURN(bool current, StoredRowsAreCurrent(conn));
    from_bodies = !current;
  }
  std::unique_ptr<store::Connection> reader;  // the second connection, if any
  if (!from_bodies && rebuild.open_reader) {
    SG_ASSIGN_OR_RETURN(reader, rebuild.open_reader());
  }
  // 1. Read, outside the write lock (intake goes on): the model, then the
  // derived rows it will be compared with. From stored rows on two
  // connections: report_persons, the bundles' input, persons and decisions
  // on one; identifiers (the interning: most of the work) on the other.
  auto read = [&](LinkModel& model, OldState& old, ProgressBar* bar) -> Status {
    SG_ASSIGN_OR_RETURN(const int64_t up_to, SingleInt(conn, "SELECT max(id) FROM reports"));
    if (from_bodies) {
      SG_RETURN_IF_ERROR(ReadReportBodies(conn, up_to, model, bar));
      return ReadOldState(conn, model, old);
    }
    auto side = [&](store::Connection& c) -> Status {
      SG_RETURN_IF_ERROR(ReadMentionRows(c, up_to, model));
      SG_RETURN_IF_ERROR(ReadBundleInputs(c, up_to, model));
      SG_RETURN_IF_ERROR(ReadOldPersons(c, old));
      // The other thread has about three times this one's pages to read.
      return reader ? ReadAheadOldIdentifiers(c) : Status::Ok();
    };
    StoredRows rows;
    auto main = [&]() -> Status {
      SG_RETURN_IF_ERROR(ReadIdentifierRows(conn, up_to, model.identifiers, rows));
      return ReadOldIdentifiers(conn, model, old);
    };
    Status side_status, main_status;
    if (reader) {
      std::thread other([&] { side_status = side(*reader); });
      main_status = main();
      other.join();
    } else {
      side_status = side(conn);
      main_status = main();
    }
    SG_RETURN_IF_ERROR(side_status);
    SG_RETURN_IF_ERROR(main_status);
    model.orphan_rows = PlaceRows(model, rows);
    if (bar != nullptr) bar->Advance(static_cast<uint64_t>(model.reports));
    return ReadOldCandidates(conn, model, old);
  };
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  RebuildStats stats;
  Clock::time_point phase = Clock::now();
  SG_ASSIGN_OR_RETURN(const std::vector<int64_t> before, Fingerprint(conn));
  auto model = std::make_unique<LinkModel>(options.bundle_window);
  auto old = std::make_unique<OldState>();
  SG_RETURN_IF_ERROR(read(*model, *old, progress));
  if (rebuild.after_read) SG_RETURN_IF_ERROR(rebuild.after_read());

  // 2. Under the write lock: if anything was linked or decided while we
  // read, read again (now nothing can change); then resolve and write the
  // differences, in one transaction.
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn));
  SG_ASSIGN_OR_RETURN(const std::vector<int64_t> now, Fingerprint(conn));
  if (now != before || model->orphan_rows > 0) {
    model = std::make_unique<LinkModel>(options.bundle_window);
    old = std::make_unique<OldState>();
    SG_RETURN_IF_ERROR(read(*model, *old, nullptr));
    stats.read_again = true;
    if (model->orphan_rows > 0) {
      return DataLoss(fmt::format("{}: {} stored identifier rows name a mention that report_persons does not have;"
                                  " `safeguard link --reparse` writes them again from the report bodies",
                                  conn.Describe(), model->orphan_rows));
    }
  }
  stats.read_seconds = seconds_since(phase);
  phase = Clock::now();
  const Resolution res = Resolve(*model, *old);
  const std::vector<Proposal> proposals = ProposeCandidates(*model, *old, res, options);
  stats.resolve_seconds = seconds_since(phase);
  phase = Clock::now();
  stats.from_bodies = from_bodies;
  stats.reports = model->reports;
  stats.mentions = static_cast<int64_t>(model->mentions.size());
  stats.identifiers = static_cast<int64_t>(model->identifiers.size());
  stats.persons = res.persons;
  stats.bundles = static_cast<int64_t>(model->bundles.bundles());
  {
    PersonWrites w(conn);  // its statements end before the commit
    if (from_bodies) SG_RETURN_IF_ERROR(RewriteEvidence(w, *model));
    SG_RETURN_IF_ERROR(WritePersonChanges(w, *model, *old, res, from_bodies));
    SG_ASSIGN_OR_RETURN(stats.candidates, WriteCandidateChanges(w, *model, *old, res, proposals));
    SG_RETURN_IF_ERROR(model->bundles.WriteChanges(w));
    if (from_bodies) {
      SG_RETURN_IF_ERROR(RewriteReportFacts(w, model->last_read, model->facts));
      // The stored rows now follow this build's rules: later rebuilds read them.
      SG_RETURN_IF_ERROR(w.Exec("DELETE FROM store_meta WHERE key = 'link_rules'", {}));
      SG_RETURN_IF_ERROR(w.Exec("INSERT INTO store_meta (key, value) VALUES ('link_rules', ?)",
                                {std::to_string(kLinkRulesVersion)}));
    }
  }
  SG_RETURN_IF_ERROR(tx.Commit());
  stats.write_seconds = seconds_since(phase);
  // After the people: the networks' rows of reports from before step 11, so
  // an upgraded store needs no --reparse for them.
  phase = Clock::now();
  SG_ASSIGN_OR_RETURN(stats.facts_filled, FillMissingReportFacts(conn));
  stats.facts_seconds = seconds_since(phase);
  return stats;
}

}  // namespace sg::linking
