// JsonText: JSON text of a Boost.JSON value, as boost::json::serialize
// writes it except for doubles: Boost 1.81 always writes them in exponent
// form ("8.73E0"); here they are the shortest text that reads back as the
// same double ("8.73", "0.5", "1e+20"), which is what a person reading
// `safeguard chat analyze --json` or an API response expects. Not a number
// or an infinity (which JSON cannot hold) is written as null.
// Strings are escaped as RFC 8259 requires (quote, backslash, control
// characters); other UTF-8 passes through, so text must be valid UTF-8
// already (core/utf8.h).
// Thread safety: pure functions.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace sg {

std::string JsonText(const boost::json::value& value);
void AppendJsonText(const boost::json::value& value, std::string* out);

}  // namespace sg
