// The HTTP load generator of serve_bench: Boost.Asio connections with the
// request bytes written directly (the body is pre-serialised; only the
// small header block is formatted per request, for its Idempotency-Key) and
// Boost.Beast reading the answers. It shares the machine with the server,
// so it is kept cheap: one io_context, `threads` threads running it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "bench/serve_bench.h"

namespace sg::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Shared {
  const LoadOptions& options;
  const std::vector<std::string>& bodies;
  Clock::time_point window_start, window_end;
  std::mutex mu;
  Measured result;              // guarded by mu
  std::vector<double> latencies_ms;  // guarded by mu
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(net::io_context& ioc, Shared& shared, int id) : socket_(ioc), shared_(shared), id_(id) {}

  bool Connect(const tcp::endpoint& at) {
    boost::system::error_code ec;
    socket_.connect(at, ec);
    if (ec) return Fail(fmt::format("connect: {}", ec.message())), false;
    socket_.set_option(tcp::no_delay(true), ec);
    return true;
  }

  void Next() {
    if (Clock::now() >= shared_.window_end) return Finish();
    const std::string& body = shared_.bodies[(static_cast<size_t>(id_) * 7919 + sent_) % shared_.bodies.size()];
    header_ = fmt::format(
        "POST /api/v1/reports HTTP/1.1\r\nHost: {}:{}\r\nAuthorization: Bearer {}\r\n"
        "Content-Type: application/json\r\nIdempotency-Key: bench-{}-{}\r\nContent-Length: {}\r\n\r\n",
        shared_.options.host, shared_.options.port, shared_.options.token, id_, sent_, body.size());
    ++sent_;
    started_ = Clock::now();
    std::array<net::const_buffer, 2> buffers{net::buffer(header_), net::buffer(body)};
    net::async_write(socket_, buffers, [self = shared_from_this()](boost::system::error_code ec, size_t) {
      if (ec) return self->Fail(fmt::format("write: {}", ec.message()));
      self->parser_.emplace();
      self->parser_->body_limit(1 << 20);
      beast::http::async_read(self->socket_, self->buffer_, *self->parser_,
                              [self](beast::error_code ec, size_t) { self->OnAnswer(ec); });
    });
  }

 private:
  void OnAnswer(beast::error_code ec) {
    if (ec) return Fail(fmt::format("read: {}", ec.message()));
    const auto done = Clock::now();
    const unsigned status = parser_->get().result_int();
    if (started_ >= shared_.window_start && done <= shared_.window_end) {
      latencies_.push_back(std::chrono::duration<double, std::milli>(done - started_).count());
    }
    if (done >= shared_.window_start && done <= shared_.window_end) {
      if (status == 201) ++reports_;
      else ++errors_;
    }
    if (status != 201 && first_error_.empty()) {
      first_error_ = fmt::format("HTTP {}: {}", status, parser_->get().body().substr(0, 300));
    }
    Next();
  }

  void Fail(const std::string& why) {
    ++errors_;
    if (first_error_.empty()) first_error_ = why;
    Finish();
  }

  void Finish() {
    std::lock_guard lock(shared_.mu);
    shared_.result.reports += reports_;
    shared_.result.errors += errors_;
    if (shared_.result.first_error.empty()) shared_.result.first_error = first_error_;
    shared_.latencies_ms.insert(shared_.latencies_ms.end(), latencies_.begin(), latencies_.end());
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  tcp::socket socket_;
  Shared& shared_;
  const int id_;
  uint64_t sent_ = 0, reports_ = 0, errors_ = 0;
  std::string header_, first_error_;
  Clock::time_point started_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::response_parser<beast::http::string_body>> parser_;
  std::vector<double> latencies_;
};

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t at = std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return sorted[at];
}

}  // namespace

Measured RunHttpLoad(const LoadOptions& options, const std::vector<std::string>& bodies) {
  net::io_context ioc;
  Shared shared{options, bodies, {}, {}, {}, {}, {}};
  const tcp::endpoint at(net::ip::make_address(options.host), options.port);
  std::vector<std::shared_ptr<Client>> clients;
  for (int i = 0; i < options.clients; ++i) {
    clients.push_back(std::make_shared<Client>(ioc, shared, i));
    if (!clients.back()->Connect(at)) return shared.result;
  }
  const auto start = Clock::now();
  shared.window_start = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(options.warmup_s));
  shared.window_end = shared.window_start + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(options.measure_s));
  for (auto& c : clients) net::post(ioc, [c] { c->Next(); });
  clients.clear();  // each client keeps itself alive through its handlers
  std::vector<std::thread> threads;
  for (int i = 1; i < std::max(1, options.threads); ++i) threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  Measured out = shared.result;
  out.seconds = options.measure_s;
  std::sort(shared.latencies_ms.begin(), shared.latencies_ms.end());
  out.p50_ms = Percentile(shared.latencies_ms, 0.50);
  out.p99_ms = Percentile(shared.latencies_ms, 0.99);
  return out;
}

}  // namespace sg::bench
