#include "http/api.h"

#include <map>

#include <fmt/format.h>

#include "http/auth.h"
#include "http/chat_api.h"
#include "http/pages.h"
#include "http/public_form.h"
#include "http/sign_in.h"
#include "http/networks_api.h"
#include "http/persons_api.h"
#include "http/server.h"
#include "intake/report_parser.h"
#include "intake/report_store.h"
#include "security/roles.h"
#include "security/sessions.h"
#include "security/tokens.h"

namespace sg::http {
namespace {

using security::Permission;
using security::Principal;
using verb = beast_http::verb;

}  // namespace

Result<std::unique_ptr<Api>> Api::Create(const store::StoreLocation& where, const ApiOptions& options) {
  if (options.form_reports_per_hour < 1 || options.sign_ins_per_quarter_hour < 1) {
    return InvalidArgument("rate limits must be at least 1");
  }
  if (options.max_chat_log_bytes < 1) return InvalidArgument("the chat-log upload limit must be at least 1 byte");
  std::unique_ptr<Api> api(new Api());
  api->where_ = where;
  api->max_chat_log_bytes_ = options.max_chat_log_bytes;
  api->networks_ = std::make_shared<NetworkCache>();
  {
    SG_ASSIGN_OR_RETURN(auto conn, store::OpenStore(where));
    SG_ASSIGN_OR_RETURN(api->csrf_secret_, security::ServerSecret(*conn, "csrf"));
  }
  api->form_limiter_ = std::make_unique<RateLimiter>(options.form_reports_per_hour, std::chrono::hours(1));
  api->sign_in_limiter_ = std::make_unique<RateLimiter>(options.sign_ins_per_quarter_hour, std::chrono::minutes(15));
  // The chat lexicon is compiled once (or loaded from the disk cache) and
  // shared: by the writer for chat[] at intake, by the chat-log routes.
  SG_ASSIGN_OR_RETURN(api->chat_analyzer_,
                      chat::Analyzer::Create({"", chat::IndicatorMatcher::DefaultCacheDir()}));
  SG_ASSIGN_OR_RETURN(api->writer_, ReportWriter::Start(where, api->chat_analyzer_.get()));
  api->AddRoutes();
  return api;
}

Api::~Api() { Stop(); }

void Api::Stop() {
  // The order matters. The writer first: its last batch may still answer
  // (and so hold) requests, and it has a connection of its own. Then the
  // threads' connections: no handler can use one any more (the server has
  // stopped), and they must close while the database client library and
  // the Api are still whole, on this thread and at this point rather than
  // at some thread's or the process's exit.
  if (writer_) writer_->Stop();
  std::map<std::thread::id, std::unique_ptr<store::Connection>> closing;
  {
    std::lock_guard lock(connections_mu_);
    stopped_ = true;
    closing.swap(connections_);
  }
}

Result<store::Connection*> Api::ThreadConnection() {
  // One connection per thread: a Connection is used by one thread at a time.
  struct Cached {
    uint64_t api = 0;  // the serial_ of the Api that owns `conn`
    store::Connection* conn = nullptr;
  };
  thread_local Cached cached;
  if (stopped_) return IoError("the server is shutting down");
  if (cached.api == serial_) return cached.conn;
  const auto me = std::this_thread::get_id();
  {
    std::lock_guard lock(connections_mu_);
    if (auto it = connections_.find(me); it != connections_.end()) {
      cached = {serial_, it->second.get()};
      return cached.conn;
    }
  }
  // Opened outside the lock: the threads' first requests need not wait for
  // one another's connection set-up.
  SG_ASSIGN_OR_RETURN(auto conn, store::OpenStore(where_));
  std::lock_guard lock(connections_mu_);
  if (stopped_) return IoError("the server is shutting down");
  auto& slot = connections_[me];
  slot = std::move(conn);
  cached = {serial_, slot.get()};
  return cached.conn;
}

void Api::AddRoutes() {
  AddAssetRoutes(router_);
  AddPublicFormRoutes(router_, *writer_, csrf_secret_, *form_limiter_);
  AddSignInRoutes(router_, [this] { return ThreadConnection(); }, csrf_secret_, *sign_in_limiter_);
  AddChatRoutes(router_, [this] { return ThreadConnection(); }, *chat_analyzer_, networks_, max_chat_log_bytes_);

  AddPersonsRoutes(router_, [this] { return ThreadConnection(); });
  router_.Add(verb::get, "/healthz", [](Request&, const RequestContext&, const PathParams&, Responder respond) {
    respond(JsonResponse(200, boost::json::object{{"status", "ok"}}));
  });

  router_.Add(verb::post, "/api/v1/reports", [this](Request& req, const RequestContext& ctx, const PathParams&,
                                                    Responder respond) {
    auto conn = ThreadConnection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto who = SignedIn(**conn, req);
    if (!who.ok()) return respond(StatusResponse(who.status()));
    if (!security::Allowed(*who, Permission::kReportCreate)) {
      return respond(StatusResponse(PermissionDenied("this account may not create reports")));
    }
    // The body is parsed as JSON whatever Content-Type says: clients often
    // send none or a form type, and the parser is the real check.
    intake::ParseError error;
    auto report = intake::ParseReport(req.body(), {}, &error);
    if (!report.ok()) return respond(JsonError(error.http_status, error.message, error.path));
    intake::IngestRequest ingest;
    ingest.report = std::move(report).value();
    if (auto key = req.find("Idempotency-Key"); key != req.end()) {
      ingest.idempotency_key = std::string(key->value().data(), key->value().size());
    }
    ingest.owner = who->Owner();
    ingest.actor = who->AuditName();
    ingest.address = ctx.remote_address;
    ingest.channel = std::string(intake::kChannelApi);
    writer_->Submit(std::move(ingest), [respond = std::move(respond)](Result<intake::IngestOutcome> r) mutable {
      if (!r.ok()) return respond(StatusResponse(r.status()));
      // 201 when stored now; 200 when the Idempotency-Key names a report
      // stored before: the same id, nothing stored twice.
      respond(JsonResponse(r->created ? 201 : 200, boost::json::object{{"id", r->id}}));
    });
  });

  router_.Add(verb::get, "/api/v1/reports/{id}", [this](Request& req, const RequestContext& ctx,
                                                        const PathParams& params, Responder respond) {
    auto conn = ThreadConnection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto who = SignedIn(**conn, req);
    if (!who.ok()) return respond(StatusResponse(who.status()));
    auto id = ParseId(params.at(0));
    const Status not_found = NotFound("no such report");
    if (!id) return respond(StatusResponse(not_found));
    intake::ReportStore reports(**conn, nullptr);
    if (!security::Allowed(*who, Permission::kReportReadAny)) {
      if (!security::Allowed(*who, Permission::kReportReadOwn)) {
        return respond(StatusResponse(PermissionDenied("this account may not read reports")));
      }
      // Someone else's report is "not found": its existence is not told.
      auto owner = reports.OwnerOf(*id);
      if (!owner.ok()) return respond(StatusResponse(owner.status().code() == StatusCode::kNotFound ? not_found : owner.status()));
      if (*owner != who->Owner()) return respond(StatusResponse(not_found));
    }
    auto body = reports.Get(*id);
    if (!body.ok()) return respond(StatusResponse(body.status()));
    Status audited = reports.AuditRead({*id}, who->AuditName(), ctx.remote_address);
    if (!audited.ok()) return respond(StatusResponse(audited));
    respond(JsonResponse(200, *body));
  });

  router_.Add(verb::get, "/api/v1/reports", [this](Request& req, const RequestContext& ctx, const PathParams&,
                                                   Responder respond) {
    auto conn = ThreadConnection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto who = SignedIn(**conn, req);
    if (!who.ok()) return respond(StatusResponse(who.status()));
    std::optional<std::string> owner;
    if (!security::Allowed(*who, Permission::kReportList)) {
      if (!security::Allowed(*who, Permission::kReportListOwn)) {
        return respond(StatusResponse(PermissionDenied("this account may not list reports")));
      }
      owner = who->Owner();
    }
    std::string after_text = QueryParam(req, "after"), limit_text = QueryParam(req, "limit");
    auto after = after_text.empty() ? std::optional<int64_t>(0) : ParseId(after_text);
    auto limit = limit_text.empty() ? std::optional<int64_t>(100) : ParseId(limit_text);
    if (!after) return respond(JsonError(400, "after must be a report id (a whole number >= 0)", "after"));
    if (!limit || *limit < 1 || *limit > intake::kMaxListLimit) {
      return respond(JsonError(400, fmt::format("limit must be 1..{}", intake::kMaxListLimit), "limit"));
    }
    intake::ReportStore reports(**conn, nullptr);
    auto list = reports.List(*after, static_cast<int>(*limit), owner);
    if (!list.ok()) return respond(StatusResponse(list.status()));
    std::vector<int64_t> ids;
    for (const auto& r : *list) ids.push_back(r.as_object().at("id").to_number<int64_t>());
    if (!ids.empty()) {
      Status audited = reports.AuditRead(ids, who->AuditName(), ctx.remote_address);
      if (!audited.ok()) return respond(StatusResponse(audited));
    }
    boost::json::object out;
    out["next_after"] = ids.size() == static_cast<size_t>(*limit) ? boost::json::value(ids.back()) : nullptr;
    out["reports"] = std::move(*list);
    respond(JsonResponse(200, out));
  });

  AddNetworkRoutes(router_, [this] { return ThreadConnection(); }, networks_);
}

}  // namespace sg::http
