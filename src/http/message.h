// The request and response types the handlers see, and the context of a
// request (who sent it, over what). Handlers never touch sockets.
#pragma once

#include <functional>
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

// A handler answers by calling `respond` exactly once, on any thread, now
// or later (the report writer answers after its group commit).
using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request& request, const RequestContext& context, Responder respond)>;

}  // namespace sg::http
