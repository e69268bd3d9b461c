#include "linking/network_graph.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <tuple>


namespace sg::linking {
namespace {

// Evidence codes: a report id, or kChatCode + the rank of a chat
// conversation in (chat_log_id, conversation) order. Report ids are far
// below 2^62, so reports sort before chats and each in its own order.
constexpr int64_t kChatCode = int64_t{1} << 62;

bool IsChat(int64_t evidence) { return evidence >= kChatCode; }

// One (edge, evidence) observation before grouping. `via` indexes the
// interned via strings, so sorting compares integers. `report` is an
// evidence code (above).
struct Raw {
  int64_t a, b, offender, report;
  uint32_t via;
  EdgeKind kind;
};

class Interner {
 public:
  uint32_t Id(const std::string& s) {
    auto [it, fresh] = ids_.try_emplace(s, static_cast<uint32_t>(names_.size()));
    if (fresh) names_.push_back(s);
    return it->second;
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(names_.size()); }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
};

// One offender's link to something shared (a victim, a series, a group):
// key = the victim's person id, or the interned series or group name;
// report = an evidence code.
struct Shared {
  int64_t key, offender, report;
  friend bool operator<(const Shared& x, const Shared& y) {
    return std::tie(x.key, x.offender, x.report) < std::tie(y.key, y.offender, y.report);
  }
  friend bool operator==(const Shared&, const Shared&) = default;
};

// Emits a pairwise edge of `kind` between every two distinct offenders
// under each key, with up to max_evidence_reports reports and
// max_evidence_chats chat conversations of each side as evidence.
// Returns how many keys were skipped for having more than `max_members`.
// Flat and sorted, not a map of vectors: millions of victims each with a
// vector cost more in malloc than everything else.
size_t EmitShared(std::vector<Shared>& shared, EdgeKind kind, bool key_is_person, const GraphOptions& options,
                  Interner& interner, std::vector<Raw>& out) {
  size_t skipped = 0;
  const size_t per_side = std::max<size_t>(options.max_evidence_reports, 1);
  const size_t per_side_chats = std::max<size_t>(options.max_evidence_chats, 1);
  std::sort(shared.begin(), shared.end());
  shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
  std::vector<std::pair<size_t, size_t>> ranges;
  for (size_t k0 = 0; k0 < shared.size();) {
    size_t k1 = k0;
    while (k1 < shared.size() && shared[k1].key == shared[k0].key) ++k1;
    // Group the key's observations by offender: [begin, end) ranges.
    ranges.clear();
    for (size_t i = k0; i < k1;) {
      size_t j = i;
      while (j < k1 && shared[j].offender == shared[i].offender) ++j;
      ranges.emplace_back(i, j);
      i = j;
    }
    const int64_t key = shared[k0].key;
    k0 = k1;
    if (ranges.size() < 2) continue;
    if (ranges.size() > options.max_shared_members) {
      ++skipped;
      continue;
    }
    const uint32_t via = key_is_person ? interner.Id(std::to_string(key)) : static_cast<uint32_t>(key);
    for (size_t x = 0; x < ranges.size(); ++x) {
      for (size_t y = x + 1; y < ranges.size(); ++y) {
        const int64_t a = shared[ranges[x].first].offender, b = shared[ranges[y].first].offender;
        for (auto [lo, hi] : {ranges[x], ranges[y]}) {
          size_t reports = 0, chats = 0;  // a side's reports sort before its chats
          for (size_t k = lo; k < hi; ++k) {
            if (IsChat(shared[k].report) ? chats++ >= per_side_chats : reports++ >= per_side) continue;
            out.push_back({a, b, 0, shared[k].report, via, kind});
          }
        }
      }
    }
  }
  return skipped;
}

bool ById(const GraphPerson& x, const GraphPerson& y) { return x.id < y.id; }

// Adds what mention `m` says of person `p` (the same id).
void Absorb(GraphPerson& p, const GraphPerson& m) {
  p.reported |= m.reported;
  p.victim |= m.victim;
  if (m.youngest_age && (!p.youngest_age || *m.youngest_age < *p.youngest_age)) p.youngest_age = m.youngest_age;
  p.report_count += m.report_count;
  p.immediate_danger |= m.immediate_danger;
  p.category_a |= m.category_a;
  p.latest_ms = std::max(p.latest_ms, m.latest_ms);
}

// Sorts mentions by person id and merges those of one person into one.
std::vector<GraphPerson> MergeMentions(std::vector<GraphPerson> mentions) {
  std::sort(mentions.begin(), mentions.end(), ById);
  std::vector<GraphPerson> out;
  for (const GraphPerson& m : mentions) {
    if (out.empty() || out.back().id != m.id) out.push_back(m);
    else Absorb(out.back(), m);
  }
  return out;
}

enum class AgeClass { kUnknown, kMinor, kAdult };

// One person of one author of a chat conversation, classified by the rule
// in network_graph.h (ChatConversationFacts).
struct ChatSide {
  int64_t person;
  size_t author;
  AgeClass age;
  std::optional<int> disclosed;  // the disclosed age, when it (not a known age) made the person a minor
};

ChatSide ClassifyChatPerson(const Graph& g, int64_t person, size_t author_index, const ChatAuthorFacts& author) {
  ChatSide side{person, author_index, AgeClass::kUnknown, std::nullopt};
  const int64_t i = g.IndexOf(person);
  const GraphPerson* p = i >= 0 ? &g.persons[static_cast<size_t>(i)] : nullptr;
  if (p && p->youngest_age) {  // only reports have set ages so far: a victim's known age
    side.age = *p->youngest_age < 18 ? AgeClass::kMinor : AgeClass::kAdult;
  } else if (author.age_low && author.age_high && *author.age_high < 18) {
    side.age = AgeClass::kMinor;
    side.disclosed = *author.age_low;
  } else if (author.age_low && author.age_high && *author.age_low >= 18) {
    side.age = AgeClass::kAdult;
  } else if (p && p->reported) {
    side.age = AgeClass::kAdult;
  }
  return side;
}

// The edges one chat conversation gives (evidence code `code`): raw
// observations, offender-victim links for shared_victim, and mentions for
// the persons (minors become victims; persons not in any report are added).
void AddChatEdges(const ChatConversationFacts& c, int64_t code, const Graph& g, uint32_t no_via, std::vector<Raw>& raw,
                  std::vector<Shared>& victims, std::vector<GraphPerson>& mentions, GraphStats& stats) {
  std::vector<ChatSide> sides;
  for (size_t k = 0; k < c.authors.size(); ++k) {
    for (int64_t id : c.authors[k].person_ids) sides.push_back(ClassifyChatPerson(g, id, k, c.authors[k]));
  }
  auto bare = [](int64_t id) {
    GraphPerson p;
    p.id = id;
    return p;
  };
  auto seen = [&](int64_t id) {
    if (g.IndexOf(id) < 0) mentions.push_back(bare(id));
  };
  for (size_t x = 0; x < sides.size(); ++x) {
    for (size_t y = x + 1; y < sides.size(); ++y) {
      const ChatSide *p = &sides[x], *q = &sides[y];
      if (p->author == q->author || p->person == q->person) continue;
      const int64_t a = std::min(p->person, q->person), b = std::max(p->person, q->person);
      if (q->age == AgeClass::kAdult && p->age == AgeClass::kMinor) std::swap(p, q);
      if (p->age == AgeClass::kAdult && q->age == AgeClass::kMinor) {
        raw.push_back({a, b, p->person, code, no_via, EdgeKind::kOffenderVictim});
        victims.push_back({q->person, p->person, code});
        GraphPerson minor = bare(q->person);
        minor.victim = true;
        minor.youngest_age = q->disclosed;
        mentions.push_back(minor);
        seen(p->person);
      } else if (p->age == AgeClass::kAdult && q->age == AgeClass::kAdult && c.flagged) {
        raw.push_back({a, b, 0, code, no_via, EdgeKind::kContact});
        seen(p->person);
        seen(q->person);
      } else {
        continue;
      }
      ++stats.chat_edges;
    }
  }
}

}  // namespace

std::string_view EdgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kOffenderVictim: return "offender_victim";
    case EdgeKind::kContact: return "contact";
    case EdgeKind::kSharedVictim: return "shared_victim";
    case EdgeKind::kSharedSeries: return "shared_series";
    case EdgeKind::kSharedGroup: return "shared_group";
  }
  return "unknown";
}

int64_t Graph::IndexOf(int64_t person_id) const {
  auto it = std::lower_bound(persons.begin(), persons.end(), person_id,
                             [](const GraphPerson& p, int64_t id) { return p.id < id; });
  return it != persons.end() && it->id == person_id ? it - persons.begin() : -1;
}

Graph BuildGraph(const GraphInput& input, const GraphOptions& options) {
  Graph g;
  g.stats.reports = input.reports.size();
  std::vector<GraphPerson> persons;  // one per mention, merged by id below
  std::vector<Raw> raw;
  Interner interner, names;          // names: series and groups, in encounter order
  const uint32_t no_via = interner.Id("");
  std::vector<Shared> victims, series, groups;

  for (const ReportFacts& r : input.reports) {
    auto mention = [&](int64_t id) -> GraphPerson& {
      GraphPerson& p = persons.emplace_back();
      p.id = id;
      p.report_count = 1;
      p.immediate_danger = r.immediate_danger;
      p.category_a = r.category_a;
      p.latest_ms = r.time_ms;
      return p;
    };
    for (int64_t o : r.reported) mention(o).reported = true;
    for (const VictimMention& v : r.victims) {
      GraphPerson& p = mention(v.person_id);
      p.victim = true;
      p.youngest_age = v.approximate_age;
    }
    for (size_t i = 0; i < r.reported.size(); ++i) {
      const int64_t o = r.reported[i];
      for (const VictimMention& v : r.victims) {
        if (v.person_id == o) continue;  // one person as both: no self loop
        raw.push_back({std::min(o, v.person_id), std::max(o, v.person_id), o, r.report_id, no_via,
                       EdgeKind::kOffenderVictim});
        victims.push_back({v.person_id, o, r.report_id});
      }
      for (size_t j = i + 1; j < r.reported.size(); ++j) {
        const int64_t o2 = r.reported[j];
        if (o2 == o) continue;
        raw.push_back({std::min(o, o2), std::max(o, o2), 0, r.report_id, no_via, EdgeKind::kContact});
      }
      for (const std::string& s : r.series) series.push_back({names.Id(s), o, r.report_id});
      if (r.group) groups.push_back({names.Id(*r.group), o, r.report_id});
    }
  }
  // One person per id: the mentions merged. Before the chats: their rule
  // reads what the reports say of each person.
  g.persons = MergeMentions(std::move(persons));

  // Chat conversations, ranked by (log, conversation) so that evidence
  // codes, and so the edges' chat evidence, do not depend on input order
  // (stable: one id on two platforms keeps the loader's order).
  g.stats.chat_conversations = input.chats.size();
  std::vector<size_t> chat_rank(input.chats.size());
  std::iota(chat_rank.begin(), chat_rank.end(), size_t{0});
  std::stable_sort(chat_rank.begin(), chat_rank.end(), [&](size_t x, size_t y) {
    return std::tie(input.chats[x].chat_log_id, input.chats[x].conversation) <
           std::tie(input.chats[y].chat_log_id, input.chats[y].conversation);
  });
  std::vector<GraphPerson> chat_mentions;
  for (size_t r = 0; r < chat_rank.size(); ++r) {
    AddChatEdges(input.chats[chat_rank[r]], kChatCode + static_cast<int64_t>(r), g, no_via, raw, victims,
                 chat_mentions, g.stats);
  }
  // Applied once every conversation is classified: a disclosed age must
  // not become a known age for the next conversation.
  std::vector<GraphPerson> added;  // persons no report names
  for (const GraphPerson& m : chat_mentions) {
    const int64_t i = g.IndexOf(m.id);
    if (i >= 0) Absorb(g.persons[static_cast<size_t>(i)], m);
    else added.push_back(m);
  }
  if (!added.empty()) {
    added = MergeMentions(std::move(added));
    const auto middle = static_cast<ptrdiff_t>(g.persons.size());
    g.persons.insert(g.persons.end(), added.begin(), added.end());
    std::inplace_merge(g.persons.begin(), g.persons.begin() + middle, g.persons.end(), ById);
  }

  // Via numbers in an order that depends on the facts, not on the order of
  // the reports: series and group names interned sorted, then the victims
  // (EmitShared walks them by id). So edges sorted by number are in the same
  // order whatever order the reports came in.
  std::vector<std::pair<std::string, uint32_t>> sorted_names;
  for (uint32_t i = 0; i < names.size(); ++i) sorted_names.emplace_back(names.Name(i), i);
  std::sort(sorted_names.begin(), sorted_names.end());
  std::vector<uint32_t> final_id(names.size());
  for (const auto& [name, local] : sorted_names) final_id[local] = interner.Id(name);
  for (auto* list : {&series, &groups}) {
    for (Shared& x : *list) x.key = final_id[static_cast<size_t>(x.key)];
  }
  EmitShared(victims, EdgeKind::kSharedVictim, true, options, interner, raw);
  g.stats.widespread_series = EmitShared(series, EdgeKind::kSharedSeries, false, options, interner, raw);
  g.stats.large_groups = EmitShared(groups, EdgeKind::kSharedGroup, false, options, interner, raw);

  // Group observations into edges (via numbers are in a fixed order, above).
  std::sort(raw.begin(), raw.end(), [](const Raw& x, const Raw& y) {
    return std::tie(x.a, x.b, x.kind, x.via, x.offender, x.report) <
           std::tie(y.a, y.b, y.kind, y.via, y.offender, y.report);
  });
  for (size_t i = 0; i < raw.size();) {
    const Raw& first = raw[i];
    GraphEdge e;
    e.a = first.a;
    e.b = first.b;
    e.kind = first.kind;
    e.offender = first.offender;
    e.via = interner.Name(first.via);
    size_t j = i;
    // offender_victim: the same two persons with the roles swapped in
    // another report is a second edge (offender differs); both are kept.
    while (j < raw.size() && raw[j].a == first.a && raw[j].b == first.b && raw[j].kind == first.kind &&
           raw[j].via == first.via && raw[j].offender == first.offender) {
      const int64_t evidence = raw[j].report;
      if (j == i || evidence != raw[j - 1].report) {
        if (!IsChat(evidence)) {
          ++e.report_count;
          if (e.report_ids.size() < options.max_evidence_reports) e.report_ids.push_back(evidence);
        } else {
          ++e.chat_count;
          if (e.chats.size() < options.max_evidence_chats) {
            const ChatConversationFacts& c = input.chats[chat_rank[static_cast<size_t>(evidence - kChatCode)]];
            ChatEvidence& ev = e.chats.emplace_back();
            ev.chat_log_id = c.chat_log_id;
            ev.conversation = c.conversation;
            ev.flagged = c.flagged;
            ev.lines.assign(c.lines.begin(),
                            c.lines.begin() + static_cast<ptrdiff_t>(std::min(c.lines.size(), options.max_evidence_lines)));
          }
        }
      }
      ++j;
    }
    g.edges.push_back(std::move(e));
    i = j;
  }
  return g;
}

}  // namespace sg::linking
