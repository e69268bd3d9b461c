// The shutdown of `safeguard serve` (src/http/README.md): the Api and its
// Server stopped with requests and background work in flight, on both
// backends, in serve's order; and the threads' store connections closed by
// Api::Stop rather than at thread or process exit.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "../store/test_backends.h"
#include "http/api.h"
#include "http/server.h"
#include "security/tokens.h"
#include "store/open.h"
#include "test_client.h"

namespace sg::http {
namespace {

namespace fs = std::filesystem;
using store::testing::Backend;
using testing::Client;
using verb = beast_http::verb;

std::string Report(int n) {
  boost::json::object file{{"file_name", "a.jpg"}, {"md5", fmt::format("{:032x}", n + 1)},
                           {"industry_classification", "B1"}};
  boost::json::object person{{"screen_names", boost::json::array{fmt::format("user{}", n % 5)}},
                             {"emails", boost::json::array{fmt::format("user{}@example.com", n % 3)}}};
  boost::json::object chat{{"time", "2026-11-01T20:00:00Z"}, {"author", "kid"}, {"text", "im 12, dont tell"}};
  return boost::json::serialize(boost::json::object{
      {"source", "industry"}, {"incident_type", "online_enticement"}, {"incident_time", "2026-11-01T10:00:00Z"},
      {"platform", "ExampleChat"}, {"immediate_danger", false}, {"summary", fmt::format("report {}", n)},
      {"reported_people", boost::json::array{person}}, {"files", boost::json::array{file}},
      {"chat", boost::json::array{chat}}});
}

constexpr const char* kChatLog =
    "{\"conversation\":\"c1\",\"author\":\"user1\",\"time\":\"2026-11-02T10:00:00Z\",\"text\":\"how old are you\"}\n"
    "{\"conversation\":\"c1\",\"author\":\"kid\",\"time\":\"2026-11-02T10:01:00Z\",\"text\":\"13\"}\n";

class ApiShutdownTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::TestDatabase>(GetParam());
    SG_SKIP_IF_NO_BACKEND(*db_);
    std::random_device rd;
    data_ = fs::temp_directory_path() / fmt::format("sg-api-shutdown-{}-{:08x}", ::getpid(), rd());
    where_.data_dir = data_;
    if (GetParam() == Backend::kPostgres) {
      // A name of its own, so that this test's connections can be counted.
      app_name_ = fmt::format("sgt_shutdown_{}_{:08x}", ::getpid(), rd());
      where_.db_url = db_->url() + "&application_name=" + app_name_;
    }
    auto conn = store::OpenStore(where_);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    auto t = security::CreateToken(**conn, "shutdown-test", security::Role::kAdmin, {"test", ""});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    token_ = t->token;
  }

  void TearDown() override {
    db_.reset();
    std::error_code ec;
    if (!data_.empty()) fs::remove_all(data_, ec);
  }

  // The Api's store connections now open: SQLite, descriptors of this
  // process on the database file; PostgreSQL, server backends carrying this
  // test's application_name (a backend ends a moment after its client
  // closed the connection, so this waits up to 5 s for `expected`).
  int OpenConnections(int expected) {
    if (GetParam() == Backend::kSqlite) {
      int n = 0;
      const std::string db = (data_ / "safeguard.db").string();
      for (const auto& fd : fs::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        if (fs::read_symlink(fd.path(), ec).string() == db) ++n;
      }
      return n;
    }
    auto admin = store::OpenStore({data_, db_->url()});
    if (!admin.ok()) return -1;
    int n = -1;
    for (int i = 0; i < 50; ++i) {
      auto st = (*admin)->Prepare("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?");
      if (!st.ok() || !(*st)->Bind({app_name_}).ok()) return -1;
      auto row = (*st)->Step();
      if (!row.ok() || !*row) return -1;
      n = static_cast<int>((*st)->Int(0));
      if (n == expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return n;
  }

  std::unique_ptr<store::testing::TestDatabase> db_;
  fs::path data_;
  store::StoreLocation where_;
  std::string app_name_;
  std::string token_;
};

// Before the fix the connection of the thread that ran Server::Run (serve's
// main thread) was a thread_local: it outlived the Api and closed only at
// process exit.
TEST_P(ApiShutdownTest, StopClosesTheConnectionsOfEveryThreadBeforeTheApiGoes) {
  auto api = Api::Create(where_);
  ASSERT_TRUE(api.ok()) << api.status().ToString();
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 1;  // every request on this thread, as on serve's main thread
  auto server = Server::Start(options, (*api)->handler());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const std::string address = (*server)->local_address();
  unsigned status = 0;
  std::thread client([&] {
    Client c(address);
    beast_http::request<beast_http::string_body> req{verb::get, "/api/v1/reports?limit=5", 11};
    req.set(beast_http::field::host, "localhost");
    req.set(beast_http::field::authorization, "Bearer " + token_);
    beast_http::write(c.stream(), req);
    testing::beast::flat_buffer buffer;
    testing::ClientResponse res;
    beast_http::read(c.stream(), buffer, res);
    status = res.result_int();
    (*server)->Stop();
  });
  (*server)->Run();
  client.join();
  EXPECT_EQ(status, 200u);
  (*api)->Stop();
  server->reset();
  api->reset();
  EXPECT_EQ(OpenConnections(0), 0) << "a thread's connection outlived the Api";
}

// Requests of every kind in flight (group-committed reports, network
// analysis, chat-log analysis, reads) when the server is told to stop; then
// serve's order: Run returns, Api::Stop, the server goes, the Api goes. Run
// on this thread, as serve runs it on its main thread. Several rounds: the
// moment of the stop varies. The sanitizer build is where this bites.
TEST_P(ApiShutdownTest, ShutsDownCleanlyWithRequestsAndBackgroundWorkInFlight) {
  std::mt19937 rng(std::random_device{}());
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    auto api = Api::Create(where_);
    ASSERT_TRUE(api.ok()) << api.status().ToString();
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    auto server = Server::Start(options, (*api)->handler());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    const std::string address = (*server)->local_address();

    std::atomic<bool> done{false};
    std::atomic<int> answered{0}, five_hundreds{0};
    std::vector<std::thread> clients;
    for (int k = 0; k < 4; ++k) {
      clients.emplace_back([&, k] {
        for (int i = 0; !done; ++i) {
          try {
            Client c(address);
            beast_http::request<beast_http::string_body> req;
            const int kind = (k + i) % 4;
            req.method(kind == 0 || kind == 2 ? verb::post : verb::get);
            req.target(kind == 0   ? "/api/v1/reports"
                       : kind == 1 ? "/api/v1/networks"
                       : kind == 2 ? "/api/v1/chat-logs?case=OP-1&format=jsonl"
                                   : "/api/v1/reports?limit=20");
            req.version(11);
            req.set(beast_http::field::host, "localhost");
            req.set(beast_http::field::authorization, "Bearer " + token_);
            if (kind == 0) req.body() = Report(k * 1000 + i);
            if (kind == 2) req.body() = kChatLog;
            req.prepare_payload();
            beast_http::write(c.stream(), req);
            testing::beast::flat_buffer buffer;
            testing::ClientResponse res;
            beast_http::read(c.stream(), buffer, res);
            ++answered;
            if (res.result_int() >= 500) ++five_hundreds;
          } catch (const std::exception&) {
            // Refused or closed: the server stops accepting.
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
          }
        }
      });
    }
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 300));
      (*server)->Stop();
    });
    (*server)->Run();  // returns once every request in flight is answered
    stopper.join();
    done = true;
    for (auto& t : clients) t.join();
    (*api)->Stop();
    server->reset();
    api->reset();
    EXPECT_GT(answered.load(), 0);
    EXPECT_EQ(five_hundreds.load(), 0) << "a request in flight failed at the stop";
  }
  EXPECT_EQ(OpenConnections(0), 0);
}

SG_INSTANTIATE_BACKENDS(ApiShutdownTest);

}  // namespace
}  // namespace sg::http
