// RunOrdered: applies `work` to items 0..n-1 on `threads` threads and hands
// each result to `emit` on the calling thread, in index order, as soon as it
// and all before it are ready. Used for `-j`: output stays in input order
// however the work is scheduled.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace sg::cli {

template <typename R, typename Work, typename Emit>
void RunOrdered(size_t n, int threads, Work work, Emit emit) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(n, 1))));
  if (threads == 1) {
    for (size_t i = 0; i < n; ++i) emit(i, work(i));
    return;
  }
  // Workers may run at most `window` items ahead of the emitter, which
  // bounds memory when one slow file holds up the output.
  const size_t window = static_cast<size_t>(threads) * 8;
  std::mutex mu;
  std::condition_variable ready, room;
  std::vector<std::optional<R>> slots(n);
  size_t next_emit = 0;  // guarded by mu
  std::atomic<size_t> next_item{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (;;) {
        size_t i = next_item.fetch_add(1);
        if (i >= n) return;
        {
          std::unique_lock lock(mu);
          room.wait(lock, [&] { return i < next_emit + window; });
        }
        R r = work(i);
        {
          std::lock_guard lock(mu);
          slots[i] = std::move(r);
        }
        ready.notify_one();
      }
    });
  }
  for (size_t i = 0; i < n; ++i) {
    std::optional<R> r;
    {
      std::unique_lock lock(mu);
      ready.wait(lock, [&] { return slots[i].has_value(); });
      r = std::move(slots[i]);
      slots[i].reset();
      next_emit = i + 1;
    }
    room.notify_all();
    emit(i, std::move(*r));
  }
  for (auto& t : pool) t.join();
}

}  // namespace sg::cli
