// ReportWriter: the one thread that stores reports, with group commit.
// Requests from every connection queue here; the writer takes all that are
// waiting (up to a batch limit), stores them in one transaction
// (intake::ReportStore::IngestBatch: one flush to disk for the batch), and
// only then calls each request's callback, which sends the 201. So a report
// is acknowledged only once it is durable, and under load the cost of a
// durable commit is shared by many reports.
//
// On SQLite the writer's connection leaves checkpointing the WAL (copying
// committed pages into the database file) to a second thread with its own
// connection, so a commit does not also pay for a checkpoint now and then;
// commits are as durable as before (synchronous=FULL fsyncs the WAL).
//
// Thread safety: Submit from any thread; Stop drains the queue first.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "chat/analysis.h"
#include "intake/report_store.h"
#include "matching/matcher.h"
#include "store/open.h"

namespace sg::http {

class ReportWriter {
 public:
  using Done = std::function<void(Result<intake::IngestOutcome>)>;

  // `chat_analyzer` (may be null: chat[] stored unanalysed) analyses each
  // report's chat[] at intake, on the submitting thread; it must outlive
  // the writer.
  static Result<std::unique_ptr<ReportWriter>> Start(const store::StoreLocation& where,
                                                     const chat::Analyzer* chat_analyzer, size_t max_batch = 512);
  ~ReportWriter();

  void Submit(intake::IngestRequest request, Done done);
  // Stores what is queued, then ends the thread.
  void Stop();

 private:
  ReportWriter() = default;
  void Loop();
  void CheckpointLoop();

  std::unique_ptr<store::Connection> conn_;
  std::unique_ptr<matching::Matcher> matcher_;
  std::unique_ptr<intake::ReportStore> reports_;
  const chat::Analyzer* chat_analyzer_ = nullptr;  // used by Submit on I/O threads
  size_t max_batch_ = 512;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::pair<intake::IngestRequest, Done>> queue_;  // guarded by mu_
  bool stopping_ = false;                                      // guarded by mu_
  std::thread thread_;
  // SQLite only: the background checkpointer (see above).
  std::unique_ptr<store::Connection> checkpoint_conn_;
  std::condition_variable checkpoint_wake_;  // with mu_: wakes it to stop
  std::thread checkpoint_thread_;
};

}  // namespace sg::http
