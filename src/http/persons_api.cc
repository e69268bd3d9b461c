#include "http/persons_api.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "http/auth.h"
#include "http/server.h"
#include "linking/decisions.h"
#include "linking/persons.h"
#include "security/roles.h"
#include "store/audit.h"

namespace sg::http {
namespace {

namespace json = boost::json;
using security::Permission;
using security::Principal;
using verb = beast_http::verb;

// The request body as a JSON object, or a 400 naming why.
std::optional<json::object> BodyObject(const Request& req, const Responder& respond) {
  boost::system::error_code ec;
  json::value v = json::parse(req.body(), ec);
  if (ec || !v.is_object()) {
    respond(JsonError(400, "the body must be a JSON object"));
    return std::nullopt;
  }
  return v.as_object();
}

}  // namespace

void AddPersonsRoutes(Router& router, ConnectionSource source) {
  router.Add(verb::get, "/api/v1/persons/{id}", [source](Request& req, const RequestContext& ctx,
                                                        const PathParams& params, Responder respond) {
    auto caller = Authorise(source, req, Permission::kPersonRead, respond);
    if (!caller) return;
    auto id = ParseId(params.at(0));
    if (!id) return respond(StatusResponse(NotFound("no such person")));
    auto detail = linking::PersonDetail(*caller->conn, *id);
    if (!detail.ok()) {
      return respond(StatusResponse(detail.status().code() == StatusCode::kNotFound ? NotFound("no such person")
                                                                                     : detail.status()));
    }
    store::AuditEntry e{caller->who.AuditName(), "person.read", "person",
                        std::to_string(detail->at("id").as_int64()), ctx.remote_address, ""};
    Status audited = store::AppendAuditEntries(*caller->conn, {e});
    if (!audited.ok()) return respond(StatusResponse(audited));
    respond(JsonResponse(200, *detail));
  });

  router.Add(verb::get, "/api/v1/identifiers", [source](Request& req, const RequestContext& ctx, const PathParams&,
                                                       Responder respond) {
    auto caller = Authorise(source, req, Permission::kPersonRead, respond);
    if (!caller) return;
    const std::string value = QueryParam(req, "value");
    if (value.empty()) return respond(JsonError(400, "give the identifier to search for: ?value=...", "value"));
    auto ids = linking::FindPersons(*caller->conn, value);
    if (!ids.ok()) return respond(JsonError(400, ids.status().message(), "value"));
    json::array persons;
    for (int64_t id : *ids) {
      auto detail = linking::PersonDetail(*caller->conn, id);
      if (!detail.ok()) return respond(StatusResponse(detail.status()));
      json::object brief;
      for (const char* key : {"id", "identifiers", "report_ids", "roles"}) brief[key] = detail->at(key);
      persons.push_back(std::move(brief));
    }
    store::AuditEntry e{caller->who.AuditName(), "person.search", "identifier", "", ctx.remote_address,
                        JsonText(json::object{{"value", value}, {"persons", json::array(ids->begin(), ids->end())}})};
    Status audited = store::AppendAuditEntries(*caller->conn, {e});
    if (!audited.ok()) return respond(StatusResponse(audited));
    respond(JsonResponse(200, json::object{{"value", value}, {"persons", std::move(persons)}}));
  });

  router.Add(verb::post, "/api/v1/persons/{id}/merge", [source](Request& req, const RequestContext& ctx,
                                                               const PathParams& params, Responder respond) {
    auto caller = Authorise(source, req, Permission::kPersonDecide, respond);
    if (!caller) return;
    auto id = ParseId(params.at(0));
    if (!id) return respond(StatusResponse(NotFound("no such person")));
    auto body = BodyObject(req, respond);
    if (!body) return;
    const json::value* with = body->if_contains("with");
    if (with == nullptr || !with->is_int64() || with->as_int64() < 0) {
      return respond(JsonError(400, "\"with\" must be a person id", "with"));
    }
    auto r = linking::MergePersons(*caller->conn, *id, with->as_int64(),
                                   {caller->who.AuditName(), ctx.remote_address});
    if (!r.ok()) return respond(StatusResponse(r.status()));
    respond(JsonResponse(200, json::object{{"id", r->person_id}, {"decision_id", r->decision_id}}));
  });

  router.Add(verb::post, "/api/v1/persons/{id}/split", [source](Request& req, const RequestContext& ctx,
                                                               const PathParams& params, Responder respond) {
    auto caller = Authorise(source, req, Permission::kPersonDecide, respond);
    if (!caller) return;
    auto id = ParseId(params.at(0));
    if (!id) return respond(StatusResponse(NotFound("no such person")));
    auto body = BodyObject(req, respond);
    if (!body) return;
    std::vector<std::string> identifiers;
    std::vector<int64_t> reports;
    if (const json::value* v = body->if_contains("identifiers")) {
      if (!v->is_array()) return respond(JsonError(400, "\"identifiers\" must be an array", "identifiers"));
      for (const json::value& i : v->as_array()) {
        if (!i.is_string()) return respond(JsonError(400, "identifiers are \"kind:value\" strings", "identifiers"));
        identifiers.emplace_back(i.as_string());
      }
    }
    if (const json::value* v = body->if_contains("report_ids")) {
      if (!v->is_array()) return respond(JsonError(400, "\"report_ids\" must be an array", "report_ids"));
      for (const json::value& i : v->as_array()) {
        if (!i.is_int64()) return respond(JsonError(400, "report ids are whole numbers", "report_ids"));
        reports.push_back(i.as_int64());
      }
    }
    auto r = linking::SplitPerson(*caller->conn, *id, identifiers, reports,
                                  {caller->who.AuditName(), ctx.remote_address});
    if (!r.ok()) return respond(StatusResponse(r.status()));
    respond(JsonResponse(201, json::object{{"id", r->person_id}, {"new_person_id", r->new_person_id},
                                           {"decision_id", r->decision_id}}));
  });

  for (const char* action : {"confirm", "reject"}) {
    const bool confirm = std::string_view(action) == "confirm";
    router.Add(verb::post, fmt::format("/api/v1/candidates/{{id}}/{}", action),
               [source, confirm](Request& req, const RequestContext& ctx, const PathParams& params, Responder respond) {
                 auto caller = Authorise(source, req, Permission::kPersonDecide, respond);
                 if (!caller) return;
                 auto id = ParseId(params.at(0));
                 if (!id) return respond(StatusResponse(NotFound("no such candidate link")));
                 const linking::DecisionContext dc{caller->who.AuditName(), ctx.remote_address};
                 if (confirm) {
                   auto r = linking::ConfirmCandidate(*caller->conn, *id, dc);
                   if (!r.ok()) return respond(StatusResponse(r.status()));
                   return respond(JsonResponse(200, json::object{{"id", *id}, {"status", "confirmed"},
                                                                 {"person_id", r->person_id}}));
                 }
                 Status s = linking::RejectCandidate(*caller->conn, *id, dc);
                 if (!s.ok()) return respond(StatusResponse(s));
                 respond(JsonResponse(200, json::object{{"id", *id}, {"status", "rejected"}}));
               });
  }
}

}  // namespace sg::http
