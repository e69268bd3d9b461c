#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sg::http {

RateLimiter::RateLimiter(int capacity, std::chrono::seconds window, size_t max_keys)
    : capacity_(capacity), window_(window), max_keys_(max_keys) {
  if (capacity < 1 || window.count() < 1 || max_keys < 1) throw std::invalid_argument("RateLimiter: bad limits");
}

double RateLimiter::Refilled(const Bucket& b, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  const double per_second = capacity_ / static_cast<double>(window_.count());
  return std::min<double>(capacity_, b.tokens + std::max(0.0, elapsed) * per_second);
}

void RateLimiter::DropIdle(Clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& kv) { return Refilled(kv.second, now) >= capacity_; });
}

RateLimiter::Decision RateLimiter::Take(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) DropIdle(now);
    if (buckets_.size() >= max_keys_) {
      // Every known address is still limited: refuse rather than grow.
      return {false, std::chrono::seconds(1)};
    }
    it = buckets_.emplace(key, Bucket{static_cast<double>(capacity_), now}).first;
  }
  Bucket& b = it->second;
  b.tokens = Refilled(b, now);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {true, std::chrono::seconds(0)};
  }
  const double per_second = capacity_ / static_cast<double>(window_.count());
  const auto wait = static_cast<int64_t>(std::ceil((1.0 - b.tokens) / per_second));
  return {false, std::chrono::seconds(std::max<int64_t>(1, wait))};
}

}  // namespace sg::http
