#include "http/router.h"

#include <fmt/format.h>

#include "core/json_text.h"
#include "http/server.h"

namespace sg::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void Router::Add(beast_http::verb method, std::string pattern, Route route, BodyLimitFn body_limit) {
  entries_.push_back({method, Split(pattern), std::move(route), std::move(body_limit)});
}

bool Router::Matches(const Entry& e, const std::vector<std::string>& segments, PathParams* params) {
  if (e.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& p = e.segments[i];
    if (p.size() >= 2 && p.front() == '{' && p.back() == '}') params->push_back(UrlDecode(segments[i]));
    else if (p != segments[i]) return false;
  }
  return true;
}

std::optional<BodyLimit> Router::BodyLimitFor(const Request& header) const {
  const std::vector<std::string> segments = Split(PathOf(header));
  for (const Entry& e : entries_) {
    PathParams ignored;
    if (e.method != header.method() || !Matches(e, segments, &ignored)) continue;
    // The route Handle will pick.
    return e.body_limit ? e.body_limit(header) : std::nullopt;
  }
  return std::nullopt;
}

void Router::Handle(Request& request, const RequestContext& context, Responder respond) const {
  const std::vector<std::string> segments = Split(PathOf(request));
  std::vector<std::string> allowed;
  for (const Entry& e : entries_) {
    PathParams params;
    if (!Matches(e, segments, &params)) continue;
    if (e.method != request.method()) {
      allowed.emplace_back(beast_http::to_string(e.method));
      continue;
    }
    e.route(request, context, params, std::move(respond));
    return;
  }
  if (!allowed.empty()) {
    Response res = JsonError(405, fmt::format("{} is not allowed here", std::string(request.method_string())));
    std::string allow;
    for (const auto& a : allowed) allow += (allow.empty() ? "" : ", ") + a;
    res.set(beast_http::field::allow, allow);
    return respond(std::move(res));
  }
  respond(JsonError(404, "no such resource"));
}

Handler Router::AsHandler() const {
  return [this](Request& request, const RequestContext& context, Responder respond) {
    Handle(request, context, std::move(respond));
  };
}

unsigned HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnsupported: return 415;
    case StatusCode::kDataLoss:
    case StatusCode::kIoError:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

Response StatusResponse(const Status& status, const std::string& path) {
  const unsigned code = HttpStatusFor(status.code());
  // Server-side failures keep their detail out of the response.
  if (code >= 500) return JsonError(code, "internal error; the server log has the detail");
  Response res = JsonError(code, status.message(), path);
  if (code == 401) res.set(beast_http::field::www_authenticate, "Bearer");
  return res;
}

Response JsonResponse(unsigned status, const boost::json::value& body) {
  Response res{static_cast<beast_http::status>(status), 11};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = JsonText(body);
  return res;
}

Response HtmlResponse(unsigned status, std::string html) {
  Response res{static_cast<beast_http::status>(status), 11};
  res.set(beast_http::field::content_type, "text/html; charset=utf-8");
  res.body() = std::move(html);
  return res;
}

std::string PathOf(const Request& request) {
  std::string_view target(request.target().data(), request.target().size());
  return std::string(target.substr(0, target.find('?')));
}

std::string QueryParam(const Request& request, std::string_view name) {
  std::string_view target(request.target().data(), request.target().size());
  size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (UrlDecode(pair.substr(0, eq)) == name) return eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

}  // namespace sg::http
