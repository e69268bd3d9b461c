// Server: HTTP/1.1 over TCP, or TLS when a certificate is given, on
// Boost.Beast/Asio. Keep-alive; limits on header size, body size and time;
// on Stop() (SIGTERM in `safeguard serve`) it stops accepting, lets every
// request in flight finish and be answered, closes idle connections, and
// returns from Run().
//
// Requests go to one Handler (a Router, in practice). The server answers
// limit violations itself (413 body too large, 431 header too large,
// 400 malformed) without calling the handler.
//
// A Responder keeps the connection and Run() going until it is called;
// once called it holds nothing of the server, so its owner may destroy it
// later on any thread, even after the Server.
//
// Thread safety: Run() on one thread (it runs the io_context too, beside
// `threads` - 1 more I/O threads, and joins them before it returns); Stop()
// from any thread, e.g. one that waits for signals (never from a signal
// handler: it allocates and locks).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace sg::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  int threads = 0;                        // 0: one per core
  std::string tls_cert, tls_key;          // PEM files; both or neither
  uint64_t max_header_bytes = 16 * 1024;
  uint64_t max_body_bytes = 1024 * 1024;
  // A request's own body limit, asked once its header is read (method,
  // target and credentials known, body not read): the API's chat-log
  // uploads allow more. Unset, or nullopt for a request: max_body_bytes. A
  // request allowed more than max_body_bytes also gets one more second to
  // arrive per MiB allowed.
  BodyLimitFn body_limit_for;
  std::chrono::seconds read_timeout{30};   // a whole request must arrive within this
  std::chrono::seconds idle_timeout{60};   // keep-alive connections close after this
};

class Server {
 public:
  // Binds and listens (errors: bad address, port in use, bad certificate).
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  ~Server();

  // The address actually bound ("127.0.0.1:43121"), useful with port 0.
  std::string local_address() const;
  bool tls() const;

  // Serves until Stop(); returns once every request has been answered and
  // every connection closed, with the I/O threads joined.
  void Run();
  // Graceful stop; safe from any thread.
  void Stop();

  struct Impl;  // server.cc only; public so its connection classes can name it

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A JSON error body {"error": {"message": ..., "path": ...}} with `status`.
Response JsonError(unsigned status, const std::string& message, const std::string& path = "");

}  // namespace sg::http
