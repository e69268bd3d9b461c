// Per-route body limits: the server asks ServerOptions::body_limit_for once
// a request's header is read (the router asks the route), so one route (the
// chat-log uploads, for a caller who may upload) may take more than the
// server's default while every other request keeps it. Over the limit: 413
// with the limit and the route's note, whether the body is announced by
// Content-Length (refused before it is read) or chunked.
#include <gtest/gtest.h>

#include <thread>

#include <fmt/format.h>

#include "http/router.h"
#include "http/server.h"
#include "test_client.h"

namespace sg::http {
namespace {

using testing::Client;
using verb = beast_http::verb;

class BodyLimitTest : public testing::RunningServerTest {
 protected:
  void SetUp() override {
    auto echo = [](Request& req, const RequestContext&, const PathParams&, Responder respond) {
      respond(JsonResponse(200, boost::json::object{{"bytes", req.body().size()}}));
    };
    router_.Add(verb::post, "/echo", echo);
    // The larger limit only for requests with the key (the API asks for a
    // caller who may upload).
    router_.Add(verb::post, "/uploads/{id}", echo, [](const Request& header) -> std::optional<BodyLimit> {
      if (header["X-Key"] != "k") return std::nullopt;
      return BodyLimit{1000, "uploads are limited by --max-upload"};
    });
    router_.Add(verb::put, "/uploads/{id}", echo);  // same path, another method: the default
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 1;
    options.max_body_bytes = 100;
    options.body_limit_for = [this](const Request& header) { return router_.BodyLimitFor(header); };
    StartServer(options, router_.AsHandler());
  }

  Router router_;
};

// An upload with the key, as raw bytes.
std::string Upload(size_t bytes) {
  return fmt::format("POST /uploads/7 HTTP/1.1\r\nHost: x\r\nX-Key: k\r\nContent-Length: {}\r\n\r\n", bytes) +
         std::string(bytes, 'x');
}

TEST_F(BodyLimitTest, ARouteMayTakeMoreThanTheDefault) {
  Client c(address_);
  auto ok = c.SendRaw(Upload(1000));
  EXPECT_EQ(ok.result_int(), 200u);
  EXPECT_EQ(ok.body(), R"({"bytes":1000})");
  // The same connection goes on to a route with the default limit.
  EXPECT_EQ(c.Send(verb::post, "/echo", std::string(100, 'x')).result_int(), 200u);
}

TEST_F(BodyLimitTest, OverTheRoutesLimitIs413WithItsNote) {
  Client c(address_);
  auto r = c.SendRaw(Upload(1001));
  EXPECT_EQ(r.result_int(), 413u);
  EXPECT_NE(r.body().find("larger than 1000 bytes; uploads are limited by --max-upload"), std::string::npos)
      << r.body();
  EXPECT_NE(r.body().find("\"path\":\"(body)\""), std::string::npos);
  EXPECT_TRUE(c.Closed());
}

TEST_F(BodyLimitTest, OtherRoutesKeepTheDefault) {
  {
    Client c(address_);
    auto r = c.Send(verb::post, "/echo", std::string(101, 'x'));
    EXPECT_EQ(r.result_int(), 413u);
    EXPECT_NE(r.body().find("larger than 100 bytes\""), std::string::npos) << r.body();
  }
  {
    Client c(address_);
    EXPECT_EQ(c.Send(verb::put, "/uploads/7", std::string(101, 'x')).result_int(), 413u);
  }
  {
    Client c(address_);  // the upload route, without the key
    auto r = c.Send(verb::post, "/uploads/7", std::string(101, 'x'));
    EXPECT_EQ(r.result_int(), 413u);
    EXPECT_NE(r.body().find("larger than 100 bytes\""), std::string::npos) << r.body();
  }
  {
    Client c(address_);  // an unknown path: the default, then 404
    EXPECT_EQ(c.Send(verb::post, "/nowhere", std::string(101, 'x')).result_int(), 413u);
  }
}

TEST_F(BodyLimitTest, AChunkedBodyIsCountedAsItArrives) {
  auto chunked = [](size_t n) {
    std::string chunk(n, 'x');
    return "POST /uploads/7 HTTP/1.1\r\nHost: x\r\nX-Key: k\r\nTransfer-Encoding: chunked\r\n\r\n" +
           fmt::format("{:x}\r\n", n) + chunk + "\r\n0\r\n\r\n";
  };
  {
    Client c(address_);
    auto r = c.SendRaw(chunked(900));
    EXPECT_EQ(r.result_int(), 200u);
    EXPECT_EQ(r.body(), R"({"bytes":900})");
  }
  {
    Client c(address_);
    EXPECT_EQ(c.SendRaw(chunked(1100)).result_int(), 413u);
  }
}

}  // namespace
}  // namespace sg::http
