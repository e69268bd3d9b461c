#include "http/networks_api.h"

#include <memory>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "http/auth.h"
#include "http/server.h"
#include "linking/network_export.h"
#include "linking/network_source.h"
#include "store/audit.h"

namespace sg::http {
namespace {

using security::Permission;
using verb = beast_http::verb;

constexpr int64_t kMaxLimit = 1000;

Response TextResponse(std::string content_type, std::string body) {
  Response res{beast_http::status::ok, 11};
  res.set(beast_http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

Status AuditRead(store::Connection& conn, const security::Principal& who, const RequestContext& ctx,
                 const std::string& object_id, const std::string& details) {
  return store::AppendAuditEntries(
      conn, {{who.AuditName(), "network.read", "network", object_id, ctx.remote_address, details}});
}

}  // namespace

void AddNetworkRoutes(Router& router, ConnectionSource connection, std::shared_ptr<NetworkCache> cache) {
  // Signs in, checks the permission and gets the analysis; on failure
  // responds and returns null.
  auto prepare = [connection, cache](Request& req, Responder& respond, store::Connection** conn,
                                                security::Principal* who)
      -> std::shared_ptr<const linking::NetworkAnalysis> {
    auto caller = Authorise(connection, req, Permission::kPersonRead, respond);
    if (!caller) return nullptr;
    auto a = cache->Get(*caller->conn);
    if (!a.ok()) return respond(StatusResponse(a.status())), nullptr;
    *conn = caller->conn;
    *who = caller->who;
    // The analysis, kept alive by the snapshot that holds it.
    return std::shared_ptr<const linking::NetworkAnalysis>(*a, &(*a)->analysis());
  };

  router.Add(verb::get, "/api/v1/networks", [prepare](Request& req, const RequestContext& ctx, const PathParams&,
                                                      Responder respond) {
    std::string limit_text = QueryParam(req, "limit"), offset_text = QueryParam(req, "offset");
    auto limit = limit_text.empty() ? std::optional<int64_t>(100) : ParseId(limit_text);
    auto offset = offset_text.empty() ? std::optional<int64_t>(0) : ParseId(offset_text);
    if (!limit || *limit < 1 || *limit > kMaxLimit) {
      return respond(JsonError(400, fmt::format("limit must be 1..{}", kMaxLimit), "limit"));
    }
    if (!offset) return respond(JsonError(400, "offset must be a whole number >= 0", "offset"));
    store::Connection* conn = nullptr;
    security::Principal who;
    auto analysis = prepare(req, respond, &conn, &who);
    if (!analysis) return;
    boost::json::array list;
    const auto& all = analysis->networks;
    for (size_t i = static_cast<size_t>(std::min<int64_t>(*offset, static_cast<int64_t>(all.size())));
         i < all.size() && list.size() < static_cast<size_t>(*limit); ++i) {
      list.push_back(linking::NetworkSummaryJson(analysis->graph, all[i]));
    }
    Status audited = AuditRead(*conn, who, ctx, "*",
                               fmt::format("{{\"offset\":{},\"networks\":{}}}", *offset, list.size()));
    if (!audited.ok()) return respond(StatusResponse(audited));
    respond(JsonResponse(200, boost::json::object{{"total", all.size()}, {"networks", std::move(list)}}));
  });

  router.Add(verb::get, "/api/v1/networks/{id}", [prepare](Request& req, const RequestContext& ctx,
                                                           const PathParams& params, Responder respond) {
    // "{id}", "{id}.graphml", "{id}.nodes.csv", "{id}.edges.csv"
    std::string_view path_id = params.at(0), suffix;
    if (size_t dot = path_id.find('.'); dot != std::string_view::npos) {
      suffix = path_id.substr(dot + 1);
      path_id = path_id.substr(0, dot);
    }
    std::string format = suffix.empty() ? QueryParam(req, "format") : std::string(suffix);
    if (!format.empty() && format != "json" && format != "graphml" && format != "nodes.csv" && format != "edges.csv") {
      return respond(JsonError(400, "format must be json, graphml, nodes.csv or edges.csv", "format"));
    }
    auto id = ParseId(path_id);
    if (!id) return respond(StatusResponse(NotFound("no such network")));
    store::Connection* conn = nullptr;
    security::Principal who;
    auto analysis = prepare(req, respond, &conn, &who);
    if (!analysis) return;
    const linking::Network* n = analysis->Find(*id);
    if (!n) return respond(StatusResponse(NotFound("no such network")));
    Status audited = AuditRead(*conn, who, ctx, std::to_string(*id),
                               fmt::format("{{\"format\":\"{}\"}}", format.empty() ? "json" : format));
    if (!audited.ok()) return respond(StatusResponse(audited));
    std::ostringstream out;
    if (format == "graphml") {
      linking::WriteGraphMl(out, analysis->graph, {n});
      return respond(TextResponse("application/graphml+xml", out.str()));
    }
    if (format == "nodes.csv" || format == "edges.csv") {
      if (format == "nodes.csv") linking::WriteNodesCsv(out, analysis->graph, {n});
      else linking::WriteEdgesCsv(out, analysis->graph, {n});
      return respond(TextResponse("text/csv; charset=utf-8", out.str()));
    }
    respond(JsonResponse(200, linking::NetworkDetailJson(analysis->graph, *n)));
  });
}

}  // namespace sg::http
