// RateLimiter: at most `capacity` events per `window` per key (a client
// address), as a token bucket: a key starts with `capacity` tokens, each
// event takes one, and tokens come back evenly over the window. So a school
// behind one address can send a few reports at once, but no address can
// flood the public form.
//
// State is per process and deliberately so: it protects this process's
// resources; it is not data another server process needs (several
// processes behind one balancer each allow `capacity`, which the README
// says). Memory is bounded: past `max_keys` addresses, buckets that have
// refilled completely (idle clients) are dropped, and if none has, the
// new address is refused rather than growing the table.
// Thread safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sg::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(int capacity, std::chrono::seconds window, size_t max_keys = 100000);

  struct Decision {
    bool allowed = false;
    std::chrono::seconds retry_after{0};  // when refused: until the next token
  };
  // Takes a token for `key` if there is one.
  Decision Take(const std::string& key, Clock::time_point now = Clock::now());

  int capacity() const { return capacity_; }
  std::chrono::seconds window() const { return window_; }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  double Refilled(const Bucket& b, Clock::time_point now) const;
  void DropIdle(Clock::time_point now);  // mu_ held

  const int capacity_;
  const std::chrono::seconds window_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace sg::http
