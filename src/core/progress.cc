#include "core/progress.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace sg {

ProgressBar::ProgressBar(std::string label, uint64_t total, std::string unit, bool enabled)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total), enabled_(enabled),
      start_(std::chrono::steady_clock::now()), last_(start_ - std::chrono::seconds(1)) {}

ProgressBar::~ProgressBar() { Finish(); }

bool ProgressBar::StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

void ProgressBar::Advance(uint64_t n, uint64_t bytes) {
  done_ += n;
  bytes_ += bytes;
  if (enabled_) Draw(false);
}

void ProgressBar::SetExtra(std::string extra) {
  std::lock_guard lock(mu_);
  extra_ = std::move(extra);
}

void ProgressBar::Draw(bool force) {
  std::lock_guard lock(mu_);
  if (finished_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  uint64_t done = done_.load();
  double rate = secs > 0 ? done / secs : 0;
  std::string line = fmt::format("\r\033[K{} {}", label_, done);
  if (total_ > 0) line += fmt::format("/{}", total_);
  line += fmt::format(" {}  {:.1f} {}/s", unit_, rate, unit_);
  uint64_t bytes = bytes_.load();
  if (bytes > 0 && secs > 0) line += fmt::format("  {:.1f} MB/s", bytes / secs / 1e6);
  if (total_ > 0 && rate > 0 && done < total_) {
    line += fmt::format("  ETA {:.0f}s", (total_ - done) / rate);
  }
  if (!extra_.empty()) line += "  " + extra_;
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

}  // namespace sg
