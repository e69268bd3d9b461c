// Api: the HTTP API of `safeguard serve` on top of the stores. Owns the
// report writer (group commit) and one store connection per I/O thread for
// reads; keeps no state another server process needs (sessions, tokens and
// reports all live in the database).
//
//   GET  /healthz                     liveness, no sign-in
//   POST /api/v1/reports              create (reporter, analyst, admin)
//   GET  /api/v1/reports/{id}         read (any: analyst, admin; own: reporter)
//   GET  /api/v1/reports?after&limit  list, by id (own only for reporters)
//   GET  /api/v1/networks[/{id}]      networks of persons (http/networks_api.h)
//
// Sign-in: `Authorization: Bearer TOKEN`, or the `sg_session` cookie.
// Every read and creation of a report is audited (who, from where).
#pragma once

#include <memory>

#include "http/message.h"
#include "http/report_writer.h"
#include "http/router.h"
#include "store/open.h"

namespace sg::http {

class Api {
 public:
  static Result<std::unique_ptr<Api>> Create(const store::StoreLocation& where);
  ~Api();

  // Valid while the Api lives.
  Handler handler() const { return router_.AsHandler(); }
  // Stores the reports still queued; call after the server stopped.
  void Stop();

 private:
  Api() = default;
  void AddRoutes();
  Result<store::Connection*> ThreadConnection();

  store::StoreLocation where_;
  std::unique_ptr<ReportWriter> writer_;
  Router router_;
};

}  // namespace sg::http
