// Status: the outcome of an operation that can fail in an expected way
// (bad input, missing file, I/O). Library code returns these instead of
// throwing or exiting; exceptions are kept for programmer errors.
//
// A Status is cheap when OK (no allocation) and carries a code and a message
// that names what was wrong and where ("photo.jpg: truncated JPEG data").
// Thread safety: a value type; distinct objects may be used from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace sg {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is malformed
  kNotFound,         // a named thing does not exist
  kAlreadyExists,
  kUnsupported,      // well-formed but not something we handle
  kDataLoss,         // corrupt or truncated data
  kIoError,          // the operating system refused (permissions, disk)
  kResourceExhausted,// a configured limit was exceeded
  kInternal,         // a bug: should never reach a user
  kUnauthenticated,  // no valid credentials were given
  kPermissionDenied, // valid credentials, but not allowed to do this
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context: `, for adding
  // where the error happened as it travels up ("file.jpg: " + reason).
  Status WithContext(std::string_view context) const;

  // "ok" or "<message>".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }

}  // namespace sg

// Returns early from the enclosing function if `expr` is a failed Status.
#define SG_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::sg::Status sg_status_ = (expr);       \
    if (!sg_status_.ok()) return sg_status_; \
  } while (0)
