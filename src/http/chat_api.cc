#include "http/chat_api.h"

#include <map>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "chat/chat_store.h"
#include "chat/import/reader.h"
#include "http/server.h"
#include "linking/persons.h"
#include "security/roles.h"
#include "store/audit.h"

namespace sg::http {
namespace {

using security::Permission;
using verb = beast_http::verb;

// The networks analysis for one answer: asked of the cache at most once,
// and only when an author has a person (a log list answers many logs).
struct NetworksForAnswer {
  NetworkCache& cache;
  std::shared_ptr<const NetworkSnapshot> snapshot;
};

// The join of the contact graph to the linking module: each author of the
// analysis gets "person_ids", the persons holding its name as a screen name
// on the platforms of its conversations, and "person_match": "platform",
// or "any_platform" when one of its conversations names no platform (the
// name was then looked up on every platform: a lead, not a link), and
// "network_ids", the networks holding those persons. At read time, as
// persons and networks change with every report linked. The networks are
// asked of the cache only when some author has a person.
Status JoinAuthorsToPersons(store::Connection& conn, NetworksForAnswer& networks, boost::json::value& analysis) {
  auto* root = analysis.if_object();
  if (root == nullptr) return Status::Ok();
  std::map<std::string, std::set<std::string>> platforms;  // author -> platforms ("": none given)
  if (auto* convs = root->if_contains("conversations"); convs != nullptr && convs->is_array()) {
    for (const auto& c : convs->get_array()) {
      const auto* conv = c.if_object();
      if (conv == nullptr) continue;
      std::string platform;
      if (const auto* p = conv->if_contains("platform"); p != nullptr && p->is_string()) platform = p->get_string();
      if (const auto* names = conv->if_contains("authors"); names != nullptr && names->is_array()) {
        for (const auto& n : names->get_array()) {
          if (n.is_string()) platforms[std::string(n.get_string())].insert(platform);
        }
      }
    }
  }
  auto* authors = root->if_contains("authors");
  if (authors == nullptr || !authors->is_array()) return Status::Ok();
  for (auto& a : authors->get_array()) {
    auto* author = a.if_object();
    if (author == nullptr || !author->contains("author") || !(*author)["author"].is_string()) continue;
    const std::string name((*author)["author"].get_string());
    std::set<int64_t> ids;
    bool any_platform = false;
    for (const std::string& platform : platforms[name]) {
      any_platform = any_platform || platform.empty();
      SG_ASSIGN_OR_RETURN(auto found, linking::PersonsWithScreenName(conn, platform, name));
      ids.insert(found.begin(), found.end());
    }
    (*author)["person_ids"] = boost::json::array(ids.begin(), ids.end());
    (*author)["person_match"] = any_platform ? "any_platform" : "platform";
  }
  for (auto& a : authors->get_array()) {
    auto* author = a.if_object();
    if (author == nullptr || !author->contains("person_ids")) continue;
    std::vector<int64_t> persons;
    for (const auto& id : (*author)["person_ids"].get_array()) persons.push_back(id.to_number<int64_t>());
    if (!persons.empty() && !networks.snapshot) {
      SG_ASSIGN_OR_RETURN(networks.snapshot, networks.cache.Get(conn));
    }
    const std::vector<int64_t> ids = persons.empty() ? std::vector<int64_t>{} : networks.snapshot->NetworksOf(persons);
    (*author)["network_ids"] = boost::json::array(ids.begin(), ids.end());
  }
  return Status::Ok();
}

Result<boost::json::object> LogJson(store::Connection& conn, NetworksForAnswer& networks, const chat::ChatLogInfo& info,
                                    const std::optional<std::string>& analysis) {
  boost::json::object o;
  o["id"] = info.id;
  o["report_id"] = info.report_id ? boost::json::value(*info.report_id) : nullptr;
  o["case_ref"] = info.case_ref ? boost::json::value(*info.case_ref) : nullptr;
  o["source_name"] = info.source_name;
  o["format"] = info.format;
  o["created_at"] = info.created_at;
  o["created_by"] = info.created_by;
  o["conversations"] = info.conversations;
  o["messages"] = info.messages;
  o["analysed_at"] = info.analysed_at ? boost::json::value(*info.analysed_at) : nullptr;
  boost::system::error_code ec;
  boost::json::value parsed = analysis ? boost::json::parse(*analysis, ec) : boost::json::value(nullptr);
  if (ec) parsed = nullptr;  // never: the store keeps what AnalyzeConversations wrote
  SG_RETURN_IF_ERROR(JoinAuthorsToPersons(conn, networks, parsed));
  o["analysis"] = std::move(parsed);
  return o;
}

// Reads the body as a log, analyses it and stores both in one transaction.
Result<boost::json::object> AttachLog(store::Connection& conn, const chat::Analyzer& analyzer, NetworkCache& networks,
                                      const Request& req,
                                      const RequestContext& ctx, const security::Principal& who,
                                      std::optional<int64_t> report_id, std::optional<std::string> case_ref) {
  std::string name = QueryParam(req, "name");
  if (name.empty()) name = "upload";
  if (name.size() > 200) return InvalidArgument("name: at most 200 characters");
  const std::string format = QueryParam(req, "format");
  SG_ASSIGN_OR_RETURN(auto reader, chat::OpenReaderFromString(name, req.body(), format));
  std::vector<chat::Conversation> conversations;
  chat::Conversation c;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool more, reader->Next(c));
    if (!more) break;
    conversations.push_back(std::move(c));
    c = chat::Conversation();
  }
  if (conversations.empty()) return InvalidArgument(fmt::format("{}: the log holds no messages", name));
  SG_ASSIGN_OR_RETURN(boost::json::object analysis, chat::AnalyzeConversations(conversations, analyzer));
  chat::NewChatLog log;
  log.report_id = report_id;
  log.case_ref = std::move(case_ref);
  log.source_name = name;
  log.format = std::string(chat::FormatName(reader->format()));
  log.actor = who.AuditName();
  log.address = ctx.remote_address;
  log.analysis = JsonText(analysis);
  chat::ChatStore logs(conn);
  SG_ASSIGN_OR_RETURN(int64_t id, logs.SaveLog(log, conversations));
  SG_ASSIGN_OR_RETURN(auto info, logs.GetLog(id));
  if (!info) return Internal("a stored chat log cannot be read back");
  NetworksForAnswer answer{networks, nullptr};
  return LogJson(conn, answer, *info, log.analysis);
}

// One log with its analysis; with `reveal`, analysed again with the text
// spans and audited as a reveal, else audited as a read.
Result<boost::json::object> ReadLog(store::Connection& conn, const chat::Analyzer& analyzer, NetworkCache& networks,
                                    int64_t id, bool reveal, const security::Principal& who, const RequestContext& ctx) {
  chat::ChatStore logs(conn);
  SG_ASSIGN_OR_RETURN(auto info, logs.GetLog(id));
  if (!info) return NotFound("no such chat log");
  std::optional<std::string> analysis;
  if (reveal) {
    SG_ASSIGN_OR_RETURN(auto conversations, logs.LoadLog(id));
    SG_ASSIGN_OR_RETURN(auto revealed, chat::AnalyzeConversations(conversations, analyzer, true));
    analysis = JsonText(revealed);
    SG_RETURN_IF_ERROR(store::AppendAuditEntries(
        conn, {{who.AuditName(), "chat_log.reveal", "chat_log", std::to_string(id), ctx.remote_address, ""}}));
  } else {
    SG_ASSIGN_OR_RETURN(analysis, logs.GetAnalysis(id));
    SG_RETURN_IF_ERROR(logs.AuditRead({id}, who.AuditName(), ctx.remote_address));
  }
  NetworksForAnswer answer{networks, nullptr};
  return LogJson(conn, answer, *info, analysis);
}

Response Answer(unsigned status, const Result<boost::json::object>& r) {
  return r.ok() ? JsonResponse(status, *r) : StatusResponse(r.status());
}

}  // namespace

void AddChatRoutes(Router& router, ConnectionSource connection, const chat::Analyzer& analyzer,
                   std::shared_ptr<NetworkCache> networks, uint64_t max_upload_bytes) {
  // The larger limit only for a caller who may attach a log: a client that
  // is not signed in (or a reporter) keeps the server's default, so it
  // cannot make the server hold max_upload_bytes per connection. The
  // handler signs the caller in again and answers 401/403 as usual.
  BodyLimitFn upload_limit = [connection, max_upload_bytes](const Request& header) -> std::optional<BodyLimit> {
    auto conn = connection();
    if (!conn.ok()) return std::nullopt;
    auto who = SignedIn(**conn, header);
    if (!who.ok() || !security::Allowed(*who, Permission::kReportUpdate)) return std::nullopt;
    return BodyLimit{max_upload_bytes, "chat-log uploads are limited by the server's --max-chat-log-bytes"};
  };

  router.Add(verb::post, "/api/v1/reports/{id}/chat-logs", [connection, &analyzer, networks](
                                                               Request& req, const RequestContext& ctx,
                                                               const PathParams& params, Responder respond) {
    auto caller = Authorise(connection, req, Permission::kReportUpdate, respond);
    if (!caller) return;
    store::Connection& conn = *caller->conn;
    const security::Principal& who = caller->who;
    auto id = ParseId(params.at(0));
    if (!id) return respond(StatusResponse(NotFound("no such report")));
    respond(Answer(201, AttachLog(conn, analyzer, *networks, req, ctx, who, *id, std::nullopt)));
  }, upload_limit);

  router.Add(verb::post, "/api/v1/chat-logs", [connection, &analyzer, networks](
                                                  Request& req, const RequestContext& ctx, const PathParams&,
                                                  Responder respond) {
    auto caller = Authorise(connection, req, Permission::kReportUpdate, respond);
    if (!caller) return;
    store::Connection& conn = *caller->conn;
    const security::Principal& who = caller->who;
    std::string case_ref = QueryParam(req, "case");
    if (case_ref.empty() || case_ref.size() > 100) {
      return respond(JsonError(400, "give the case reference (1..100 characters)", "case"));
    }
    respond(Answer(201, AttachLog(conn, analyzer, *networks, req, ctx, who, std::nullopt, std::move(case_ref))));
  }, upload_limit);

  router.Add(verb::get, "/api/v1/reports/{id}/chat-logs", [connection, networks](
                                                              Request& req, const RequestContext& ctx,
                                                              const PathParams& params, Responder respond) {
    auto caller = Authorise(connection, req, Permission::kReportReadAny, respond);
    if (!caller) return;
    store::Connection& conn = *caller->conn;
    const security::Principal& who = caller->who;
    auto id = ParseId(params.at(0));
    if (!id) return respond(StatusResponse(NotFound("no such report")));
    chat::ChatStore logs(conn);
    auto infos = logs.LogsForReport(*id);
    if (!infos.ok()) return respond(StatusResponse(infos.status()));
    boost::json::array out;
    std::vector<int64_t> ids;
    NetworksForAnswer answer{*networks, nullptr};
    for (const auto& info : *infos) {
      auto analysis = logs.GetAnalysis(info.id);
      if (!analysis.ok()) return respond(StatusResponse(analysis.status()));
      auto log = LogJson(conn, answer, info, *analysis);
      if (!log.ok()) return respond(StatusResponse(log.status()));
      out.push_back(std::move(*log));
      ids.push_back(info.id);
    }
    if (!ids.empty()) {
      if (Status s = logs.AuditRead(ids, who.AuditName(), ctx.remote_address); !s.ok()) {
        return respond(StatusResponse(s));
      }
    }
    respond(JsonResponse(200, boost::json::object{{"chat_logs", std::move(out)}}));
  });

  router.Add(verb::get, "/api/v1/chat-logs/{id}", [connection, &analyzer, networks](
                                                      Request& req, const RequestContext& ctx,
                                                      const PathParams& params, Responder respond) {
    auto caller = Authorise(connection, req, Permission::kReportReadAny, respond);
    if (!caller) return;
    store::Connection& conn = *caller->conn;
    const security::Principal& who = caller->who;
    auto id = ParseId(params.at(0));
    if (!id) return respond(StatusResponse(NotFound("no such chat log")));
    const std::string reveal = QueryParam(req, "reveal");
    if (!reveal.empty() && reveal != "true" && reveal != "false") {
      return respond(JsonError(400, "reveal must be true or false", "reveal"));
    }
    respond(Answer(200, ReadLog(conn, analyzer, *networks, *id, reveal == "true", who, ctx)));
  });
}

}  // namespace sg::http
