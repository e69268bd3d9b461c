#include "http/report_writer.h"

namespace sg::http {

Result<std::unique_ptr<ReportWriter>> ReportWriter::Start(const store::StoreLocation& where, size_t max_batch) {
  std::unique_ptr<ReportWriter> w(new ReportWriter());
  SG_ASSIGN_OR_RETURN(w->conn_, store::OpenStore(where));
  SG_ASSIGN_OR_RETURN(w->matcher_, matching::Matcher::Open(*w->conn_, where.data_dir));
  w->reports_ = std::make_unique<intake::ReportStore>(*w->conn_, w->matcher_.get());
  w->max_batch_ = std::max<size_t>(1, max_batch);
  w->thread_ = std::thread([p = w.get()] { p->Loop(); });
  return w;
}

ReportWriter::~ReportWriter() { Stop(); }

void ReportWriter::Submit(intake::IngestRequest request, Done done) {
  // Here, on the caller's (I/O) thread: the canonical body and its hash, so
  // the one writer thread only matches and writes.
  intake::PrepareCanonicalBody(request);
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
  }
  if (thread_.joinable()) thread_.join();
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
