#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

#include "http/router.h"
#include "http/server.h"
#include "test_client.h"

namespace sg::http {
namespace {

using testing::Client;
using verb = beast_http::verb;

class ServerTest : public testing::RunningServerTest {
 protected:
  void Serve(ServerOptions options = {}) {
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    router_.Add(verb::get, "/hello", [](Request&, const RequestContext& ctx, const PathParams&, Responder respond) {
      respond(JsonResponse(200, boost::json::object{{"from", ctx.remote_address}, {"tls", ctx.tls}}));
    });
    router_.Add(verb::post, "/echo", [](Request& req, const RequestContext&, const PathParams&, Responder respond) {
      respond(JsonResponse(200, boost::json::object{{"bytes", req.body().size()}}));
    });
    // Answers from another thread, later: as the group-committing writer does.
    router_.Add(verb::post, "/slow", [this](Request&, const RequestContext&, const PathParams&, Responder respond) {
      slow_started_.set_value();
      std::thread([respond = std::move(respond)]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        respond(JsonResponse(201, boost::json::object{{"done", true}}));
      }).detach();
    });
    // Keeps the responder, for the test to call (and drop) when it likes.
    router_.Add(verb::post, "/keep", [this](Request&, const RequestContext&, const PathParams&, Responder respond) {
      kept_ = std::move(respond);
      kept_ready_.set_value();
    });
    StartServer(options, router_.AsHandler());
  }

  Router router_;
  std::promise<void> slow_started_;
  Responder kept_;
  std::promise<void> kept_ready_;
};

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Serve();
  Client c(address_);
  auto a = c.Send(verb::get, "/hello");
  EXPECT_EQ(a.result_int(), 200u);
  EXPECT_EQ(a.body(), R"({"from":"127.0.0.1","tls":false})");
  EXPECT_EQ(a[beast_http::field::cache_control], "no-store");
  EXPECT_EQ(a["X-Content-Type-Options"], "nosniff");
  auto b = c.Send(verb::post, "/echo", std::string(1000, 'x'));
  EXPECT_EQ(b.body(), R"({"bytes":1000})");
  EXPECT_EQ(c.Send(verb::get, "/nope").result_int(), 404u);
  EXPECT_EQ(c.Send(verb::put, "/hello").result_int(), 405u);
}

TEST_F(ServerTest, LimitsAreAnsweredByTheServer) {
  ServerOptions o;
  o.max_body_bytes = 100;
  o.max_header_bytes = 1024;
  Serve(o);
  {
    Client c(address_);
    auto r = c.Send(verb::post, "/echo", std::string(101, 'x'));
    EXPECT_EQ(r.result_int(), 413u);
    EXPECT_NE(r.body().find("\"path\":\"(body)\""), std::string::npos);
    EXPECT_TRUE(c.Closed());
  }
  {
    Client c(address_);
    auto r = c.SendRaw("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
    EXPECT_EQ(r.result_int(), 431u);
  }
  {
    Client c(address_);
    auto r = c.SendRaw("NOT HTTP AT ALL\r\n\r\n");
    EXPECT_EQ(r.result_int(), 400u);
  }
  Client ok(address_);
  EXPECT_EQ(ok.Send(verb::post, "/echo", std::string(100, 'x')).result_int(), 200u);
}

TEST_F(ServerTest, StopFinishesRequestsInFlightAndClosesIdleConnections) {
  Serve();
  Client idle(address_);
  EXPECT_EQ(idle.Send(verb::get, "/hello").result_int(), 200u);  // now idle, kept alive
  auto in_flight = std::async(std::launch::async, [&] {
    Client c(address_);
    return c.Send(verb::post, "/slow", "{}");
  });
  slow_started_.get_future().wait();
  server_->Stop();
  auto r = in_flight.get();
  EXPECT_EQ(r.result_int(), 201u) << "a request in flight is answered";
  EXPECT_FALSE(r.keep_alive()) << "and its connection then closes";
  EXPECT_TRUE(idle.Closed());
  runner_.join();
  server_.reset();
  // Nothing listens any more.
  testing::net::io_context ioc;
  testing::tcp::socket s(ioc);
  boost::system::error_code ec;
  s.connect(testing::Endpoint(address_), ec);
  EXPECT_TRUE(ec);
}

// Whoever holds a Responder may drop it at any time after calling it, on any
// thread, even after the Server is gone: the report writer drops its
// callbacks after the batch. A called Responder used to keep the connection
// (its socket, of the server's io_context) alive, so dropping it after the
// Server was a use after free.
TEST_F(ServerTest, ACalledResponderMayOutliveTheServer) {
  Serve();
  auto answered = std::async(std::launch::async, [&] {
    Client c(address_);
    return c.Send(verb::post, "/keep", "{}").result_int();
  });
  kept_ready_.get_future().wait();
  kept_(JsonResponse(200, boost::json::object{}));
  EXPECT_EQ(answered.get(), 200u);
  server_->Stop();
  runner_.join();
  server_.reset();
  kept_ = nullptr;  // after the Server: must not touch its io_context
}

TEST_F(ServerTest, BadListenAddressesAreClearErrors) {
  for (const char* listen : {"nonsense", "256.1.1.1:80", "127.0.0.1:99999", "[::1:80"}) {
    ServerOptions o;
    o.listen = listen;
    auto s = Server::Start(o, [](Request&, const RequestContext&, Responder) {});
    ASSERT_FALSE(s.ok()) << listen;
    EXPECT_NE(s.status().message().find(listen), std::string::npos) << s.status().message();
  }
  ServerOptions o;
  o.tls_cert = "/nonexistent/cert.pem";
  auto s = Server::Start(o, [](Request&, const RequestContext&, Responder) {});
  ASSERT_FALSE(s.ok());
}

TEST_F(ServerTest, ServesTlsWithACertificate) {
  auto dir = std::filesystem::temp_directory_path() / ("sg-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string key = (dir / "key.pem").string(), cert = (dir / "cert.pem").string();
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 -keyout " + key +
                          " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
  ServerOptions o;
  o.tls_cert = cert;
  o.tls_key = key;
  Serve(o);
  ASSERT_TRUE(server_->tls());
  testing::net::io_context ioc;
  testing::net::ssl::context ctx(testing::net::ssl::context::tls_client);
  ctx.set_verify_mode(testing::net::ssl::verify_none);
  testing::beast::ssl_stream<testing::beast::tcp_stream> stream(ioc, ctx);
  testing::beast::get_lowest_layer(stream).connect(testing::Endpoint(address_));
  stream.handshake(testing::net::ssl::stream_base::client);
  beast_http::request<beast_http::string_body> req{verb::get, "/hello", 11};
  req.set(beast_http::field::host, "localhost");
  beast_http::write(stream, req);
  testing::beast::flat_buffer buffer;
  testing::ClientResponse res;
  beast_http::read(stream, buffer, res);
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), R"({"from":"127.0.0.1","tls":true})");
  EXPECT_EQ(res["Strict-Transport-Security"], "max-age=31536000");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sg::http
