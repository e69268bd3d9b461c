// The first of ParseReport's two passes over the text: is it one JSON value,
// within the depth limit, with no object holding the same key twice? Boost's
// DOM parser silently keeps one of two duplicate keys; a report validator
// must not (two readers of the same body could see different reports), so
// this pass, which sees every key, refuses them with their path. It also
// turns a syntax error's byte offset into a line and column for the client.
// Internal to sg::intake. Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sg::intake {

struct SyntaxProblem {
  std::string path;     // "(body)" for syntax errors, the key's path for duplicates
  std::string message;  // "invalid JSON at line 3 column 7: syntax error", "duplicate field"
};

std::optional<SyntaxProblem> CheckJsonSyntax(std::string_view text, size_t max_depth);

}  // namespace sg::intake
