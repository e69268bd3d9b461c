// The request and response types the handlers see, and the context of a
// request (who sent it, over what). Handlers never touch sockets.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <boost/beast/http.hpp>

namespace sg::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

struct RequestContext {
  std::string remote_address;  // the client's IP address, canonical text
  bool tls = false;
};

// A request body limit of its own (a route's: chat-log uploads take more
// than the server's default). `note` ends the 413 answer's message
// ("... larger than N bytes; NOTE").
struct BodyLimit {
  uint64_t bytes = 0;
  std::string note;
};
// Decides a request's body limit from its header (method, target, the
// credentials; the body is not read yet); nullopt: the server's default.
using BodyLimitFn = std::function<std::optional<BodyLimit>(const Request& header)>;

// A handler answers by calling `respond` exactly once, on any thread, now
// or later (the report writer answers after its group commit).
using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request& request, const RequestContext& context, Responder respond)>;

}  // namespace sg::http
