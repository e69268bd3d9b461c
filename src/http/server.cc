// Why Boost.Beast/Asio (Debian's Boost 1.81): the standard C++ HTTP/1.1 and
// TLS stack, header-only, with parser limits built in and no runtime of its
// own to manage; OpenSSL does the TLS.
#include "http/server.h"

#include <array>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

namespace sg::http {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

Result<tcp::endpoint> ParseListen(const std::string& listen) {
  std::string host, port;
  if (!listen.empty() && listen.front() == '[') {  // [v6]:port
    size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return InvalidArgument(fmt::format("--listen '{}': expected [IPv6]:PORT", listen));
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return InvalidArgument(fmt::format("--listen '{}': expected HOST:PORT", listen));
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) return InvalidArgument(fmt::format("--listen '{}': '{}' is not an IP address", listen, host));
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return InvalidArgument(fmt::format("--listen '{}': '{}' is not a port number", listen, port));
  }
  return tcp::endpoint(address, static_cast<unsigned short>(std::stoi(port)));
}

// Headers every response gets unless the handler set them: nothing is
// cached, sniffed or framed.
void AddDefaultHeaders(Response& res, bool tls) {
  auto set_default = [&](beast::string_view name, beast::string_view value) {
    if (res.find(name) == res.end()) res.set(name, value);
  };
  set_default("Cache-Control", "no-store");
  set_default("X-Content-Type-Options", "nosniff");
  set_default("X-Frame-Options", "DENY");
  set_default("Referrer-Policy", "no-referrer");
  set_default("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (tls) set_default("Strict-Transport-Security", "max-age=31536000");
  res.set(beast_http::field::server, "safeguard");
}

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void OnStop() = 0;  // any thread: the session re-posts to its strand
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  net::io_context ioc;
  std::optional<ssl::context> ssl_ctx;
  // On a strand of its own: the accept handler (which starts the next
  // accept) and Stop's task (which closes the acceptor) run on different I/O
  // threads otherwise, and an acceptor, like any Asio object, is not safe to
  // use from two threads at once.
  tcp::acceptor acceptor{net::make_strand(ioc)};
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::vector<std::weak_ptr<SessionBase>> sessions;  // guarded by mu
  std::vector<std::function<void()>> stop_hooks;       // guarded by mu

  void Accept();
  void Register(const std::shared_ptr<SessionBase>& s) {
    std::lock_guard lock(mu);
    // Drop the dead ones now and then, so the list stays short.
    if (sessions.size() > 1024) {
      std::erase_if(sessions, [](const std::weak_ptr<SessionBase>& w) { return w.expired(); });
    }
    sessions.push_back(s);
  }
};

namespace {

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Server::Impl& server, Stream stream, RequestContext context)
      : server_(server), stream_(std::move(stream)), context_(std::move(context)) {}

  void Start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, this->shared_from_this()));
    } else {
      beast::get_lowest_layer(stream_).expires_after(server_.options.read_timeout);
      handshaking_ = true;
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                self->handshaking_ = false;
                                if (ec) return;  // a failed handshake just ends the connection
                                self->Read();
                              });
    }
  }

  void OnStop() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      // A TLS handshake under way: closing the socket ends it (a TLS
      // shutdown must not be started beside it).
      if (self->handshaking_) {
        beast::error_code ec;
        beast::get_lowest_layer(self->stream_).socket().close(ec);
        return;
      }
      // Idle (no request started): close now. A request in flight finishes
      // and is answered; the connection closes after that response.
      if (!self->busy_ && (!self->parser_ || !self->parser_->got_some())) self->Close();
    });
  }

 private:
  void Read() {
    if (server_.stopping) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(boost::none);  // decided in OnHeader, per request
    beast::get_lowest_layer(stream_).expires_after(server_.options.idle_timeout);
    reading_ = true;
    beast_http::async_read_header(stream_, buffer_, *parser_,
                                  beast::bind_front_handler(&Session::OnHeader, this->shared_from_this()));
  }

  // The header is read, no body byte parsed yet: the body limit for this
  // request (ServerOptions::body_limit_for), then the body.
  void OnHeader(beast::error_code ec, size_t) {
    reading_ = false;
    body_limit_ = BodyLimit{server_.options.max_body_bytes, ""};
    if (ec || parser_->is_done()) return OnRead(ec, 0);
    if (server_.options.body_limit_for) {
      if (auto own = server_.options.body_limit_for(parser_->get())) body_limit_ = std::move(*own);
    }
    if (auto length = parser_->content_length(); length && *length > body_limit_.bytes) {
      return OnRead(beast_http::error::body_limit, 0);  // answered before the body is sent
    }
    parser_->body_limit(body_limit_.bytes);
    if (body_limit_.bytes > server_.options.max_body_bytes) {
      beast::get_lowest_layer(stream_).expires_after(server_.options.idle_timeout +
                                                     std::chrono::seconds(body_limit_.bytes >> 20));
    }
    reading_ = true;
    beast_http::async_read(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    reading_ = false;
    if (ec == beast_http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::eof || ec == net::error::connection_reset) {
      return Close();
    }
    if (ec == beast_http::error::body_limit) {
      return Send(JsonError(413,
                            fmt::format("the request body is larger than {} bytes{}{}", body_limit_.bytes,
                                        body_limit_.note.empty() ? "" : "; ", body_limit_.note),
                            "(body)"),
                  false);
    }
    if (ec == beast_http::error::header_limit) {
      return Send(JsonError(431, "the request headers are too large"), false);
    }
    if (ec) return Send(JsonError(400, fmt::format("malformed HTTP request: {}", ec.message())), false);

    busy_ = true;
    Request req = parser_->release();
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    // The responder may run on any thread, now or after a group commit, and
    // its owner may destroy it later still (the writer drops its callbacks
    // after the batch). Until it is called it holds the session and a work
    // guard, which keeps Run() from returning while a request waits. Called,
    // it hands the session to the strand, then releases the guard, and holds
    // nothing of the io_context any more: destroying it after Run() returned,
    // even after the Server is gone, is safe.
    struct Waiting {
      net::executor_work_guard<net::io_context::executor_type> guard;
      std::shared_ptr<Session> self;  // after guard: released first
    };
    auto waiting = std::make_shared<Waiting>(Waiting{net::make_work_guard(server_.ioc), this->shared_from_this()});
    Responder respond = [waiting, keep_alive, version](Response res) {
      std::shared_ptr<Session> self = std::move(waiting->self);
      if (!self) return;  // answered already
      {
        auto strand = self->stream_.get_executor();
        net::post(strand, [self = std::move(self), res = std::move(res), keep_alive, version]() mutable {
          res.version(version);
          self->Send(std::move(res), keep_alive);
        });
      }
      waiting->guard.reset();
    };
    try {
      server_.handler(req, context_, std::move(respond));
    } catch (const std::exception&) {
      // A bug, never client input: answer rather than drop the connection.
      Send(JsonError(500, "internal error"), false);
    }
  }

  void Send(Response res, bool keep_alive) {
    keep_alive = keep_alive && !server_.stopping;
    res.keep_alive(keep_alive);
    AddDefaultHeaders(res, context_.tls);
    res.prepare_payload();
    auto holder = std::make_shared<Response>(std::move(res));
    beast::get_lowest_layer(stream_).expires_after(server_.options.read_timeout);
    beast_http::async_write(stream_, *holder,
                            [self = this->shared_from_this(), holder, keep_alive](beast::error_code ec, size_t) {
                              self->busy_ = false;
                              if (ec || !keep_alive) return self->Close();
                              self->Read();
                            });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    if (reading_) {
      // Idle, waiting for a request (a stop): closing cancels the read; a
      // second read on the stream must never be started beside it.
      beast::error_code ec;
      beast::get_lowest_layer(stream_).socket().close(ec);
      return;
    }
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      // Lingering close: stop sending, then read and drop what the client
      // is still sending (the rest of a body we refused with 413) for a
      // moment, so it can finish its write and read our answer instead of
      // seeing a reset.
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      stream_.expires_after(std::chrono::seconds(2));
      Drain();
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::get_lowest_layer(self->stream_).close();
      });
    }
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_), [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        self->stream_.close();
        return;
      }
      self->Drain();
    });
  }

  Server::Impl& server_;
  Stream stream_;
  std::array<char, 16384> drain_{};
  RequestContext context_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  bool busy_ = false;
  bool closed_ = false;
  bool reading_ = false;  // an async_read is pending
  BodyLimit body_limit_;  // this request's (OnHeader)
  bool handshaking_ = false;  // TLS: the async_handshake is pending
};

}  // namespace

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor.is_open()) return;  // stopped
      return Accept();                  // e.g. too many open files: keep serving
    }
    RequestContext context;
    boost::system::error_code addr_ec;
    auto remote = socket.remote_endpoint(addr_ec);
    if (!addr_ec) {
      auto a = remote.address();
      if (a.is_v6() && a.to_v6().is_v4_mapped()) a = net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6());
      context.remote_address = a.to_string();
    }
    context.tls = ssl_ctx.has_value();
    if (stopping) return;
    std::shared_ptr<SessionBase> session;
    if (ssl_ctx) {
      auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(std::move(socket), *ssl_ctx), context);
      session = s;
      Register(session);
      s->Start();
    } else {
      auto s = std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), context);
      session = s;
      Register(session);
      s->Start();
    }
    Accept();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  SG_ASSIGN_OR_RETURN(tcp::endpoint endpoint, ParseListen(options.listen));
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return InvalidArgument("TLS needs both --tls-cert and --tls-key");
  }
  if (!options.tls_cert.empty()) {
    impl->ssl_ctx.emplace(ssl::context::tls_server);
    auto& ctx = *impl->ssl_ctx;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx.use_certificate_chain_file(options.tls_cert, ec);
    if (ec) return InvalidArgument(fmt::format("--tls-cert {}: {}", options.tls_cert, ec.message()));
    ctx.use_private_key_file(options.tls_key, ssl::context::pem, ec);
    if (ec) return InvalidArgument(fmt::format("--tls-key {}: {}", options.tls_key, ec.message()));
  }
  boost::system::error_code ec;
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return IoError(fmt::format("cannot listen on {}: {}", options.listen, ec.message()));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::string Server::local_address() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  if (ec) return "";
  return ep.address().is_v6() ? fmt::format("[{}]:{}", ep.address().to_string(), ep.port())
                              : fmt::format("{}:{}", ep.address().to_string(), ep.port());
}

bool Server::tls() const { return impl_->ssl_ctx.has_value(); }

void Server::Run() {
  impl_->Accept();
  int n = impl_->options.threads > 0 ? impl_->options.threads : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(1, n);
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    if (impl->stopping.exchange(true)) return;
    boost::system::error_code ec;
    impl->acceptor.close(ec);
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard lock(impl->mu);
      for (auto& w : impl->sessions) {
        if (auto s = w.lock()) live.push_back(std::move(s));
      }
      impl->sessions.clear();
    }
    for (auto& s : live) s->OnStop();
  });
}

Response JsonError(unsigned status, const std::string& message, const std::string& path) {
  boost::json::object error{{"status", status}, {"message", message}};
  if (!path.empty()) error["path"] = path;
  Response res{static_cast<beast_http::status>(status), 11};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = boost::json::serialize(boost::json::object{{"error", std::move(error)}});
  return res;
}

}  // namespace sg::http
