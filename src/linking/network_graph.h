// The graph of people behind networks: nodes are persons (as entity
// resolution made them), edges say why two persons belong together, and
// every edge keeps its evidence (which reports, and through what).
//
// BuildGraph is a pure function of GraphInput, the facts of the stored
// reports reduced to person ids (network_source.h loads them from the
// store; tests write them by hand). Edge kinds:
//   offender_victim  a reported person and a victim named in one report;
//   contact          two reported persons named in one report (direct
//                    contact between offenders);
//   shared_victim    two offenders who each have an offender_victim edge to
//                    the same victim (`via` = that victim's person id);
//   shared_series    two offenders whose reports matched the same known-
//                    material series (`via` = the series name);
//   shared_group     two offenders reported in the same group or community
//                    of one platform (`via` = "platform/group").
// Stored chat logs add offender_victim and contact edges (and, through
// those, shared_victim edges) with chat evidence: an adult's person who
// chats with a minor's person, and two adults' persons in a conversation
// the chat analysis flagged. The rule is at ChatConversationFacts below.
// A series or group named by more than GraphOptions::max_shared_members
// offenders gives no pairwise edges: material that circulates that widely,
// or a community that large, says nothing about who knows whom, and its
// clique would merge unrelated offenders into one network (and cost
// members^2 edges). It is counted in GraphStats instead.
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sg::linking {

enum class EdgeKind { kOffenderVictim, kContact, kSharedVictim, kSharedSeries, kSharedGroup };
inline constexpr int kEdgeKindCount = 5;

// "offender_victim", "contact", "shared_victim", "shared_series", "shared_group".
std::string_view EdgeKindName(EdgeKind kind);

// One victim as one report names them.
struct VictimMention {
  int64_t person_id = 0;
  std::optional<int> approximate_age;
};

// What the network analysis needs of one stored report.
struct ReportFacts {
  int64_t report_id = 0;
  std::vector<int64_t> reported;       // person ids of the reported people
  std::vector<VictimMention> victims;  // the victims, with the age the report gives
  bool immediate_danger = false;
  bool category_a = false;             // a file classified A1/A2 or matched a category A entry
  int64_t time_ms = 0;                 // incident time, else received time; ms since the epoch
  std::vector<std::string> series;     // known-material series matched (any order, repeats allowed)
  std::optional<std::string> group;    // "platform/group" when the report names a group
};

// One author of a stored chat conversation: the persons holding the
// author's name as a screen name on the conversation's platform, and the
// age the author disclosed in the log (the chat analysis's estimate for the
// whole log), if any.
struct ChatAuthorFacts {
  std::string name;
  std::vector<int64_t> person_ids;
  std::optional<int> age_low, age_high;  // both or neither
};

// One conversation of a stored chat log, only when its platform is known
// (an author looked up on every platform is a lead, not a link: such
// conversations give no edges and are not loaded).
//
// The rule (src/linking/README.md): each person of each author is a minor,
// an adult or unknown in this conversation, in this order of precedence:
//   1. a known age: the youngest approximate_age the reports give the
//      person as a victim (under 18: minor, else adult);
//   2. the age the author disclosed in the log (a range ending under 18:
//      minor; starting at 18 or more: adult);
//   3. adult when the person is a reported person of some report (the
//      suspect a report names); else unknown.
// Then, for two persons of two different authors:
//   adult + minor  -> offender_victim (the adult is the offender);
//   adult + adult  -> contact, only when the conversation is flagged.
// A minor in an offender_victim edge from chat counts as a victim of the
// graph, with the disclosed age as youngest_age when no report gives one.
struct ChatConversationFacts {
  int64_t chat_log_id = 0;
  std::string conversation;             // the source's id (chunks with one id are one conversation)
  bool flagged = false;                 // the chat analysis flagged it
  std::vector<uint64_t> lines;          // its indicators' and age claims' lines, ascending, distinct
  std::vector<ChatAuthorFacts> authors;
};

struct GraphInput {
  std::vector<ReportFacts> reports;
  std::vector<ChatConversationFacts> chats;
};

struct GraphOptions {
  // A series or group with more offenders than this gives no edges (above).
  size_t max_shared_members = 50;
  // Report ids kept per edge as evidence (all are counted).
  size_t max_evidence_reports = 20;
  // Chat conversations kept per edge as evidence (all are counted), and
  // lines kept per conversation.
  size_t max_evidence_chats = 20;
  size_t max_evidence_lines = 20;
};

// A person and what the reports naming them say (for the risk rank).
struct GraphPerson {
  int64_t id = 0;
  bool reported = false;            // a reported person of some report
  bool victim = false;              // a victim of some report, or a minor in a chat edge (above)
  std::optional<int> youngest_age;  // the lowest approximate_age given when a victim, else the disclosed one
  int64_t report_count = 0;         // reports naming the person (0: known from chat only)
  bool immediate_danger = false;    // in any of them
  bool category_a = false;          // in any of them
  int64_t latest_ms = 0;            // the latest of their times
};

// A chat conversation as an edge's evidence: which stored log, which
// conversation, whether the analysis flagged it, and the lines to read
// (its indicators and age claims; the first max_evidence_lines).
struct ChatEvidence {
  int64_t chat_log_id = 0;
  std::string conversation;
  bool flagged = false;
  std::vector<uint64_t> lines;
  friend bool operator==(const ChatEvidence&, const ChatEvidence&) = default;
};

struct GraphEdge {
  int64_t a = 0, b = 0;  // person ids, a < b (offender_victim: a and b as ids, see `offender`)
  EdgeKind kind = EdgeKind::kContact;
  int64_t offender = 0;  // offender_victim only: which end is the reported person
  std::string via;       // shared_victim: victim person id; shared_series: series; shared_group: group
  int64_t report_count = 0;
  std::vector<int64_t> report_ids;  // ascending, at most max_evidence_reports
  int64_t chat_count = 0;           // chat conversations that gave the edge
  std::vector<ChatEvidence> chats;  // by (chat_log_id, conversation), at most max_evidence_chats
};

struct GraphStats {
  size_t reports = 0;
  size_t widespread_series = 0;  // series skipped for having too many offenders
  size_t large_groups = 0;       // groups skipped likewise
  size_t chat_conversations = 0; // chat conversations read (GraphInput::chats)
  size_t chat_edges = 0;         // (edge, conversation) pairs they gave, shared_victim not counted
};

// Persons sorted by id; edges sorted by (a, b, kind, via: by name for series
// and groups, by person id for victims, offender), one per distinct
// (a, b, kind, via), with the evidence of every report and chat
// conversation that gave it (an offender_victim edge from a report and from
// a chat between the same two persons is one edge with both).
struct Graph {
  std::vector<GraphPerson> persons;
  std::vector<GraphEdge> edges;
  GraphStats stats;

  // Index of a person in `persons`, or -1.
  int64_t IndexOf(int64_t person_id) const;
};

Graph BuildGraph(const GraphInput& input, const GraphOptions& options = {});

}  // namespace sg::linking
