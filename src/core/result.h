// Result<T>: either a value or a failed Status (never an OK status).
// Usage:
//   Result<Image> r = Decode(bytes);
//   if (!r.ok()) return r.status();
//   Use(*r);
// Thread safety: a value type.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/status.h"

namespace sg {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result needs a failed Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace sg

// Assigns the value of a Result expression to `lhs`, or returns its Status.
#define SG_ASSIGN_OR_RETURN(lhs, expr) SG_ASSIGN_OR_RETURN_IMPL(SG_CONCAT(sg_r_, __LINE__), lhs, expr)
#define SG_CONCAT_INNER(a, b) a##b
#define SG_CONCAT(a, b) SG_CONCAT_INNER(a, b)
#define SG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
