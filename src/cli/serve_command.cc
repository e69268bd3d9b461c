// safeguard serve [--listen 127.0.0.1:8080] [--data DIR] [--db URL]
//                 [--tls-cert FILE --tls-key FILE] [--threads N] [--form-limit N]
//                 [--max-chat-log-bytes N]
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/store_access.h"
#include "http/api.h"
#include "http/server.h"
#include "security/users.h"
#include "store/open.h"

namespace sg::cli {
namespace {

class ServeCommand : public Command {
 public:
  std::string_view name() const override { return "serve"; }
  std::string_view summary() const override { return "run the intake server (report API)"; }

  void Configure(CLI::App& app) override {
    app.add_option("--listen", options_.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
    AddDataOption(app, &data_);
    app.add_option("--db", db_, "postgresql://... to use PostgreSQL instead of SQLite in the data directory");
    app.add_option("--tls-cert", options_.tls_cert, "PEM certificate chain: serve HTTPS");
    app.add_option("--tls-key", options_.tls_key, "PEM private key for --tls-cert");
    app.add_option("--threads", options_.threads, "I/O threads (default: one per core)")->check(CLI::Range(1, 256));
    app.add_option("--form-limit", api_options_.form_reports_per_hour,
                   "public report form: reports per client address per hour (default 20)")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--max-chat-log-bytes", api_options_.max_chat_log_bytes,
                   "largest chat-log upload accepted from an analyst or admin, in bytes (default 67108864 = "
                   "64 MiB; every other request body, and an upload by anyone else, is limited to 1 MiB); a "
                   "larger one gets 413")
        ->check(CLI::Range(uint64_t{1}, uint64_t{4} << 30));
    app.footer("An upload is held in memory while it is read and analysed (a few times its size).\n"
               "Stops on SIGTERM or SIGINT after answering the requests in flight.");
  }

  int Run() override {
    // Signals go to the one thread that waits for them (sigwait), not to a
    // worker, and no signal handler runs: what a signal starts (printing,
    // Server::Stop) runs on that ordinary thread. Blocked here, before any
    // thread is started, so that every thread inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    store::StoreLocation where{store::ResolveDataDir(data_), db_};
    auto conn = store::OpenStore(where);
    if (!conn.ok()) return Fail(conn.status());
    auto password = security::EnsureBootstrapAdmin(**conn);
    if (!password.ok()) return Fail(password.status());
    conn->reset();
    auto api = http::Api::Create(where, api_options_);
    if (!api.ok()) return Fail(api.status());
    options_.body_limit_for = (*api)->body_limit_for();  // the chat-log uploads' own limit
    auto server = http::Server::Start(options_, (*api)->handler());
    if (!server.ok()) return Fail(server.status());
    const std::string url = fmt::format("{}://{}", (*server)->tls() ? "https" : "http", (*server)->local_address());
    fmt::print("safeguard serve: listening on {} (data: {})\n", url,
               db_.empty() ? where.data_dir.string() : "PostgreSQL");
    if (*password) {
      // Shown once: it is stored only as an Argon2id hash.
      fmt::print("safeguard serve: first start: user 'admin', one-time password {}\n", **password);
    }
    std::fflush(stdout);

    std::atomic<bool> signalled{false};
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&signals, &sig);
      signalled = true;
      fmt::print(stderr, "safeguard serve: {} received, finishing requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      (*server)->Stop();
    });

    // The shutdown, in this order (src/http/README.md):
    // 1. Run returns once the server has stopped accepting, every request in
    //    flight has been answered and its I/O threads are joined.
    (*server)->Run();
    // 2. The waiter calls Server::Stop, so it ends before the server goes.
    //    If Run ended without a signal, the waiter is woken with one (it
    //    blocks SIGTERM like every thread, so it is sigwait that takes it).
    if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    // 3. The writer stores what is queued and its thread ends; then the
    //    threads' store connections close, here, while the Api and the
    //    database client are whole (they used to be thread_locals, the main
    //    thread's closed at process exit, after everything else).
    (*api)->Stop();
    // 4. The server (its io_context), then the Api (routes, writer,
    //    analyzer): no thread is left that could use either.
    server->reset();
    api->reset();
    fmt::print(stderr, "safeguard serve: stopped\n");
    return kExitOk;
  }

 private:
  static int Fail(const Status& s) {
    ReportError("serve", s.message());
    return kExitFailure;
  }

  http::ServerOptions options_;
  http::ApiOptions api_options_;
  std::string data_, db_;
};

}  // namespace

std::unique_ptr<Command> MakeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace sg::cli
