// Router: maps METHOD + path pattern to a route; answers 404 for an unknown
// path and 405 (with Allow) for a known path with the wrong method.
// Patterns are literal segments and {name} placeholders, matched whole
// ("/api/v1/reports/{id}"); the query string is ignored for matching.
//
// errors: the one place where a Status becomes an HTTP status (habit 4 of
// ARCHITECTURE.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/status.h"
#include "http/message.h"

namespace sg::http {

using PathParams = std::vector<std::string>;  // the {placeholders}, in order
using Route = std::function<void(Request&, const RequestContext&, const PathParams&, Responder)>;

class Router {
 public:
  // `body_limit`: decides the route's own request body limit from the
  // header, instead of the server's (ServerOptions::body_limit_for asks
  // BodyLimitFor); called on the I/O thread before the body is read.
  void Add(beast_http::verb method, std::string pattern, Route route, BodyLimitFn body_limit = nullptr);
  void Handle(Request& request, const RequestContext& context, Responder respond) const;
  Handler AsHandler() const;
  // The body limit of the route `header` goes to (method and path), when
  // that route decides one of its own; nullopt: the server's default.
  std::optional<BodyLimit> BodyLimitFor(const Request& header) const;

 private:
  struct Entry {
    beast_http::verb method;
    std::vector<std::string> segments;
    Route route;
    BodyLimitFn body_limit;
  };
  // Whether `e`'s pattern matches the path `segments`; fills `params`.
  static bool Matches(const Entry& e, const std::vector<std::string>& segments, PathParams* params);
  std::vector<Entry> entries_;
};

// kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403,
// kNotFound 404, kAlreadyExists 409, kResourceExhausted 413, kUnsupported
// 415, anything else 500 with a generic message (the detail is for logs).
unsigned HttpStatusFor(StatusCode code);
Response StatusResponse(const Status& status, const std::string& path = "");

Response JsonResponse(unsigned status, const boost::json::value& body);
Response HtmlResponse(unsigned status, std::string html);

// Form/URL decoding: %XX and '+' for space; a bad escape stays as it is.
std::string UrlDecode(std::string_view s);

// The path without the query, and one query parameter ("" if absent).
std::string PathOf(const Request& request);
std::string QueryParam(const Request& request, std::string_view name);

}  // namespace sg::http
