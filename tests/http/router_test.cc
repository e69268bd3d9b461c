#include <gtest/gtest.h>

#include "http/router.h"

namespace sg::http {
namespace {

Request Make(beast_http::verb verb, std::string target) { return Request{verb, target, 11}; }

Response Call(const Router& router, Request req) {
  Response out;
  bool called = false;
  router.Handle(req, {}, [&](Response r) {
    out = std::move(r);
    called = true;
  });
  EXPECT_TRUE(called);
  return out;
}

TEST(RouterTest, MatchesPatternsAndPassesParameters) {
  Router r;
  r.Add(beast_http::verb::get, "/api/v1/reports/{id}", [](Request&, const RequestContext&, const PathParams& p,
                                                          Responder respond) {
    respond(JsonResponse(200, boost::json::object{{"id", p.at(0)}}));
  });
  r.Add(beast_http::verb::post, "/api/v1/reports", [](Request&, const RequestContext&, const PathParams&,
                                                      Responder respond) { respond(JsonResponse(201, {})); });
  Response ok = Call(r, Make(beast_http::verb::get, "/api/v1/reports/a%20b?x=1"));
  EXPECT_EQ(ok.result_int(), 200u);
  EXPECT_EQ(ok.body(), R"({"id":"a b"})");
  EXPECT_EQ(Call(r, Make(beast_http::verb::post, "/api/v1/reports")).result_int(), 201u);
  EXPECT_EQ(Call(r, Make(beast_http::verb::get, "/api/v1/nothing")).result_int(), 404u);
  EXPECT_EQ(Call(r, Make(beast_http::verb::get, "/api/v1/reports/1/x")).result_int(), 404u);
  Response wrong = Call(r, Make(beast_http::verb::delete_, "/api/v1/reports"));
  EXPECT_EQ(wrong.result_int(), 405u);
  EXPECT_EQ(wrong[beast_http::field::allow], "POST");
}

TEST(RouterTest, QueryParameters) {
  Request req = Make(beast_http::verb::get, "/r?after=10&limit=5&q=a+b%21&empty=");
  EXPECT_EQ(QueryParam(req, "after"), "10");
  EXPECT_EQ(QueryParam(req, "limit"), "5");
  EXPECT_EQ(QueryParam(req, "q"), "a b!");
  EXPECT_EQ(QueryParam(req, "empty"), "");
  EXPECT_EQ(QueryParam(req, "missing"), "");
  EXPECT_EQ(PathOf(req), "/r");
}

TEST(RouterTest, StatusMappingIsOneTable) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 413u);
  EXPECT_EQ(HttpStatusFor(StatusCode::kIoError), 500u);
  Response internal = StatusResponse(IoError("/var/secret/path: disk full"));
  EXPECT_EQ(internal.result_int(), 500u);
  EXPECT_EQ(internal.body().find("secret"), std::string::npos) << "server detail stays out of responses";
  Response bad = StatusResponse(InvalidArgument("files[2].pdq: not a PDQ hash"), "files[2].pdq");
  EXPECT_NE(bad.body().find("\"path\":\"files[2].pdq\""), std::string::npos);
  EXPECT_EQ(StatusResponse(Unauthenticated("no token"))[beast_http::field::www_authenticate], "Bearer");
}

}  // namespace
}  // namespace sg::http
