#include "http/report_writer.h"

#include <chrono>

#include <fmt/format.h>

namespace sg::http {
namespace {

// SQLite WAL checkpointing (see the header). The writer's connection still
// checkpoints by itself past kWriterCheckpointPages (40 MB of WAL), a
// backstop should the background thread fall behind; the background thread
// runs a PASSIVE checkpoint (it never blocks the writer) every interval.
constexpr int kWriterCheckpointPages = 10000;
constexpr std::chrono::milliseconds kCheckpointInterval{50};

// The writer's page cache, in KiB: far below the 256 MB store default. At
// the end of a write transaction SQLite 3.40 walks its page cache's whole
// hash table (pcache1TruncateUnsafe, reached from sqlite3PagerCommitPhaseTwo),
// so with a full 256 MB cache each group commit cost milliseconds: a
// quarter of the writer thread's time in bench/serve_bench.py. With 8 MB
// that walk is ~3%; pages outside the cache come from the OS page cache.
constexpr int kWriterCacheKiB = 8192;

}  // namespace

Result<std::unique_ptr<ReportWriter>> ReportWriter::Start(const store::StoreLocation& where,
                                                          const chat::Analyzer* chat_analyzer, size_t max_batch) {
  std::unique_ptr<ReportWriter> w(new ReportWriter());
  SG_ASSIGN_OR_RETURN(w->conn_, store::OpenStore(where));
  SG_ASSIGN_OR_RETURN(w->matcher_, matching::Matcher::Open(*w->conn_, where.data_dir));
  w->reports_ = std::make_unique<intake::ReportStore>(*w->conn_, w->matcher_.get());
  w->reports_->AnalyzeChatWith(chat_analyzer);
  w->chat_analyzer_ = chat_analyzer;
  w->max_batch_ = std::max<size_t>(1, max_batch);
  if (w->conn_->dialect() == store::Dialect::kSqlite) {
    SG_RETURN_IF_ERROR(w->conn_->ExecScript(fmt::format("PRAGMA wal_autocheckpoint = {}; PRAGMA cache_size = -{}",
                                                        kWriterCheckpointPages, kWriterCacheKiB)));
    SG_ASSIGN_OR_RETURN(w->checkpoint_conn_, store::OpenStore(where));
    w->checkpoint_thread_ = std::thread([p = w.get()] { p->CheckpointLoop(); });
  }
  w->thread_ = std::thread([p = w.get()] { p->Loop(); });
  return w;
}

ReportWriter::~ReportWriter() { Stop(); }

void ReportWriter::Submit(intake::IngestRequest request, Done done) {
  // Here, on the caller's (I/O) thread: the canonical body and its hash and
  // the chat analysis, so the one writer thread only matches and writes.
  intake::PrepareCanonicalBody(request);
  if (chat_analyzer_ != nullptr) intake::PrepareChatAnalysis(request, *chat_analyzer_);
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.emplace_back(std::move(request), std::move(done));
      wake_.notify_one();
      return;
    }
  }
  done(Status(StatusCode::kIoError, "the server is shutting down"));
}

void ReportWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
    checkpoint_wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
}

void ReportWriter::CheckpointLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    checkpoint_wake_.wait_for(lock, kCheckpointInterval, [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    // A failure (the database busy, say) is not an error: the next round,
    // or the writer's own backstop, checkpoints instead.
    (void)checkpoint_conn_->ExecScript("PRAGMA wal_checkpoint(PASSIVE)");
    lock.lock();
  }
}

void ReportWriter::Loop() {
  while (true) {
    std::vector<intake::IngestRequest> requests;
    std::vector<Done> callbacks;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and drained
      while (!queue_.empty() && requests.size() < max_batch_) {
        requests.push_back(std::move(queue_.front().first));
        callbacks.push_back(std::move(queue_.front().second));
        queue_.pop_front();
      }
    }
    auto results = reports_->IngestBatch(requests);
    for (size_t i = 0; i < callbacks.size(); ++i) {
      if (!results.ok()) callbacks[i](results.status());
      else callbacks[i](std::move((*results)[i]));
    }
  }
}

}  // namespace sg::http
