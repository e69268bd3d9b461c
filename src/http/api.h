// Api: the HTTP API of `safeguard serve` on top of the stores. Owns the
// report writer (group commit) and one store connection per I/O thread for
// reads; keeps no state another server process needs (sessions, tokens and
// reports all live in the database).
//
//   GET  /healthz                     liveness, no sign-in
//   POST /api/v1/reports              create (reporter, analyst, admin)
//   GET  /api/v1/reports/{id}         read (any: analyst, admin; own: reporter)
//   GET  /api/v1/reports?after&limit  list, by id (own only for reporters)
//   GET/POST /report                  the public report form (public_form.h)
//   /login, /logout, /account/password, /, /api/v1/session: sign-in (sign_in.h)
//   GET  /assets/safeguard.css        the pages' stylesheet
//   /api/v1/reports/{id}/chat-logs, /api/v1/chat-logs[/{id}]: chat logs (chat_api.h;
//                                     uploads up to ApiOptions::max_chat_log_bytes)
//   GET  /api/v1/networks[/{id}]      networks of persons (http/networks_api.h)
//
// Sign-in: `Authorization: Bearer TOKEN`, or the `sg_session` cookie.
// Every read and creation of a report is audited (who, from where).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "chat/analysis.h"
#include "http/message.h"
#include "http/network_cache.h"
#include "http/rate_limiter.h"
#include "http/report_writer.h"
#include "http/router.h"
#include "security/secrets.h"
#include "store/open.h"

namespace sg::http {

struct ApiOptions {
  // Public report form: reports per client address per hour (a burst of
  // this many, then evenly spread).
  int form_reports_per_hour = 20;
  // Sign-in attempts per client address per 15 minutes.
  int sign_ins_per_quarter_hour = 20;
  // The body limit of the chat-log uploads (logs from seized devices are
  // large); every other route keeps the server's own (1 MiB).
  uint64_t max_chat_log_bytes = uint64_t{64} << 20;
};

class Api {
 public:
  static Result<std::unique_ptr<Api>> Create(const store::StoreLocation& where, const ApiOptions& options = {});
  ~Api();

  // Valid while the Api lives.
  Handler handler() const { return router_.AsHandler(); }
  // For ServerOptions::body_limit_for: the routes' own body limits. Valid
  // while the Api lives.
  BodyLimitFn body_limit_for() const {
    return [this](const Request& header) { return router_.BodyLimitFor(header); };
  }
  // Call once the server has stopped (Server::Run returned: no handler runs
  // any more): stores the reports still queued, ends the writer's thread,
  // then closes the threads' store connections. The destructor calls it too.
  void Stop();

 private:
  Api() = default;
  void AddRoutes();
  // The calling thread's connection, opened at its first call.
  Result<store::Connection*> ThreadConnection();

  store::StoreLocation where_;
  std::unique_ptr<chat::Analyzer> chat_analyzer_;  // before writer_: the writer uses it
  std::unique_ptr<ReportWriter> writer_;
  security::SecretKey csrf_secret_{};  // read once: it never changes
  std::unique_ptr<RateLimiter> form_limiter_, sign_in_limiter_;
  std::shared_ptr<NetworkCache> networks_;  // shared by the networks and chat-log routes
  uint64_t max_chat_log_bytes_ = 0;
  Router router_;
  // The threads' connections (ThreadConnection) belong to the Api, not to
  // the threads: Stop closes them at a known point, after the server's
  // threads are joined and before the Api goes. Thread-local ones were
  // closed at thread or process exit instead: the main thread's (it runs
  // the io_context too) only after main returned, when the Api and
  // everything it made were long destroyed. A thread keeps only a pointer,
  // tagged with serial_ so that it is never taken for another Api's.
  static inline std::atomic<uint64_t> next_serial_{1};
  const uint64_t serial_ = next_serial_.fetch_add(1);
  std::atomic<bool> stopped_{false};
  std::mutex connections_mu_;
  std::map<std::thread::id, std::unique_ptr<store::Connection>> connections_;  // guarded by connections_mu_
};

}  // namespace sg::http
