#include "linking/network_chat_source.h"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "linking/persons.h"

namespace sg::linking {
namespace {

namespace json = boost::json;

std::optional<int64_t> AsInt(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

std::string_view AsString(const json::value* v) {
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

const json::array* AsArray(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr ? v->if_array() : nullptr;
}

// The lines of every element of `items` that has one.
void AddLines(const json::array* items, std::set<uint64_t>& lines) {
  if (items == nullptr) return;
  for (const json::value& item : *items) {
    const json::object* o = item.if_object();
    if (o == nullptr) continue;
    if (auto line = AsInt(o->if_contains("line")); line && *line > 0) lines.insert(static_cast<uint64_t>(*line));
  }
}

}  // namespace

Result<std::vector<ParsedChatConversation>> ParseChatAnalysis(int64_t chat_log_id, std::string_view text,
                                                              size_t* no_platform) {
  json::error_code ec;
  json::value root = json::parse(text, ec);
  const json::object* analysis = ec ? nullptr : root.if_object();
  const json::array* conversations = analysis ? AsArray(*analysis, "conversations") : nullptr;
  if (conversations == nullptr) {
    return InvalidArgument(fmt::format("chat log {}: the stored analysis has no conversations", chat_log_id));
  }
  // The ages disclosed in the log, by author.
  std::map<std::string, std::pair<int, int>, std::less<>> ages;
  if (const json::array* authors = AsArray(*analysis, "authors")) {
    for (const json::value& a : *authors) {
      const json::object* o = a.if_object();
      if (o == nullptr) continue;
      const json::value* range = o->if_contains("age_range");
      if (range == nullptr || !range->is_array() || range->get_array().size() != 2) continue;
      auto low = AsInt(&range->get_array()[0]), high = AsInt(&range->get_array()[1]);
      std::string_view name = AsString(o->if_contains("author"));
      if (low && high && !name.empty()) ages[std::string(name)] = {static_cast<int>(*low), static_cast<int>(*high)};
    }
  }
  // Chunks of one conversation merged: (conversation, platform) -> index.
  std::map<std::pair<std::string, std::string>, size_t> at;
  std::vector<ParsedChatConversation> out;
  std::vector<std::set<uint64_t>> lines;
  std::vector<std::vector<std::string>> names;
  for (const json::value& c : *conversations) {
    const json::object* conv = c.if_object();
    if (conv == nullptr) continue;
    const std::string platform(AsString(conv->if_contains("platform")));
    if (platform.empty()) {
      if (no_platform) ++*no_platform;
      continue;
    }
    const std::string id(AsString(conv->if_contains("conversation")));
    auto [it, fresh] = at.try_emplace({id, platform}, out.size());
    if (fresh) {
      ParsedChatConversation& p = out.emplace_back();
      p.platform = platform;
      p.facts.chat_log_id = chat_log_id;
      p.facts.conversation = id;
      lines.emplace_back();
      names.emplace_back();
    }
    ParsedChatConversation& p = out[it->second];
    const json::value* flagged = conv->if_contains("flagged");
    p.facts.flagged |= flagged != nullptr && flagged->is_bool() && flagged->get_bool();
    AddLines(AsArray(*conv, "indicators"), lines[it->second]);
    AddLines(AsArray(*conv, "ages"), lines[it->second]);
    if (const json::array* authors = AsArray(*conv, "authors")) {
      for (const json::value& a : *authors) {
        std::string_view name = AsString(&a);
        std::vector<std::string>& seen = names[it->second];
        if (name.empty() || std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
        seen.emplace_back(name);
        ChatAuthorFacts& author = p.facts.authors.emplace_back();
        author.name = std::string(name);
        if (auto age = ages.find(name); age != ages.end()) {
          author.age_low = age->second.first;
          author.age_high = age->second.second;
        }
      }
    }
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].facts.lines.assign(lines[i].begin(), lines[i].end());
  return out;
}

Result<ChatFacts> LoadChatFacts(store::Connection& conn) {
  ChatFacts facts;
  // Ids first, then one analysis at a time: the persons are looked up on
  // the same connection between two analyses (on PostgreSQL a second query
  // while rows are pending would buffer the rest of the first).
  std::vector<int64_t> ids;
  {
    SG_ASSIGN_OR_RETURN(auto st, conn.Prepare("SELECT id FROM chat_logs WHERE analysis IS NOT NULL ORDER BY id"));
    SG_RETURN_IF_ERROR(st->Bind({}));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      ids.push_back(st->Int(0));
    }
  }
  SG_ASSIGN_OR_RETURN(auto read, conn.Prepare("SELECT analysis FROM chat_logs WHERE id = ?"));
  std::map<std::pair<std::string, std::string>, std::vector<int64_t>> persons;  // (platform, name) -> persons
  for (int64_t id : ids) {
    SG_RETURN_IF_ERROR(read->Bind({id}));
    SG_ASSIGN_OR_RETURN(bool row, read->Step());
    if (!row) continue;  // deleted meanwhile
    std::optional<std::string> text = read->OptText(0);
    SG_ASSIGN_OR_RETURN(row, read->Step());
    if (!text) continue;
    ++facts.logs;
    auto parsed = ParseChatAnalysis(id, *text, &facts.no_platform);
    if (!parsed.ok()) {
      ++facts.unreadable_logs;
      continue;
    }
    for (ParsedChatConversation& p : *parsed) {
      size_t joined = 0;
      for (ChatAuthorFacts& a : p.facts.authors) {
        auto [it, fresh] = persons.try_emplace({p.platform, a.name});
        if (fresh) {
          SG_ASSIGN_OR_RETURN(it->second, PersonsWithScreenName(conn, p.platform, a.name));
        }
        a.person_ids = it->second;
        joined += !a.person_ids.empty();
      }
      if (joined < 2) continue;
      std::erase_if(p.facts.authors, [](const ChatAuthorFacts& a) { return a.person_ids.empty(); });
      facts.conversations.push_back(std::move(p.facts));
    }
  }
  return facts;
}

}  // namespace sg::linking
