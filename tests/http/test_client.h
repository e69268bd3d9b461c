// A small blocking HTTP client for the server tests (plain or TLS without
// certificate checks: the tests make their own self-signed certificate).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "http/server.h"

namespace sg::http::testing {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using ClientResponse = beast::http::response<beast::http::string_body>;

inline tcp::endpoint Endpoint(const std::string& address) {
  size_t colon = address.rfind(':');
  return {net::ip::make_address(address.substr(0, colon)),
          static_cast<unsigned short>(std::stoi(address.substr(colon + 1)))};
}

// One connection; Send may be called several times (keep-alive).
class Client {
 public:
  explicit Client(const std::string& address) : stream_(ioc_) { stream_.connect(Endpoint(address)); }

  ClientResponse Send(beast::http::verb method, const std::string& target, const std::string& body = "",
                      const std::string& content_type = "application/json") {
    beast::http::request<beast::http::string_body> req{method, target, 11};
    req.set(beast::http::field::host, "localhost");
    if (!body.empty()) req.set(beast::http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    beast::http::write(stream_, req);
    return Read();
  }

  // Writes raw bytes and reads one response (for malformed requests).
  ClientResponse SendRaw(const std::string& bytes) {
    net::write(stream_.socket(), net::buffer(bytes));
    return Read();
  }

  // True when the server closed the connection.
  bool Closed() {
    beast::error_code ec;
    char c;
    stream_.socket().read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

  beast::tcp_stream& stream() { return stream_; }

 private:
  ClientResponse Read() {
    ClientResponse res;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(64 << 20);
    beast::http::read(stream_, buffer_, parser);
    return parser.release();
  }

  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// A fixture's running Server: started on a loopback port, run on a thread
// of its own, stopped and joined at TearDown unless the test did it.
class RunningServerTest : public ::testing::Test {
 protected:
  void StartServer(const ServerOptions& options, Handler handler) {
    auto server = Server::Start(options, std::move(handler));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    address_ = server_->local_address();
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      runner_.join();
    }
  }

  std::unique_ptr<Server> server_;
  std::string address_;
  std::thread runner_;
};

}  // namespace sg::http::testing
