// ProgressBar: a one-line progress display on stderr for long runs
// ("hashing 120/450 files  35.2 files/s  ETA 9s"). It draws only when
// stderr is a terminal, and at most ten times a second, so piping output
// to a file or running under CI shows nothing extra.
// Thread safety: Advance() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace sg {

class ProgressBar {
 public:
  // `total` 0 means unknown. `unit` names what is counted ("files").
  ProgressBar(std::string label, uint64_t total, std::string unit, bool enabled);
  ~ProgressBar();  // clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Counts `n` more items and `bytes` more bytes; `extra` is appended to the
  // line when non-empty (e.g. "3 matches").
  void Advance(uint64_t n = 1, uint64_t bytes = 0);
  void SetExtra(std::string extra);
  void Finish();

  static bool StderrIsTerminal();

 private:
  void Draw(bool force);

  std::string label_, unit_;
  uint64_t total_;
  bool enabled_;
  std::atomic<uint64_t> done_{0}, bytes_{0};
  std::mutex mu_;
  std::string extra_;                                   // guarded by mu_
  std::chrono::steady_clock::time_point start_, last_;  // last_ guarded by mu_
  bool finished_ = false;                               // guarded by mu_
};

}  // namespace sg
