// UTF-8 validation and repair, for text that must go into JSON or HTML
// (file names on Linux are bytes, not text).
#pragma once

#include <string>
#include <string_view>

namespace sg {

bool IsValidUtf8(std::string_view s);
// Returns s with every invalid byte sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view s);
// Text made safe for HTML element content and attribute values: repaired
// as ToValidUtf8, then & < > " ' escaped (the scan report, the web pages).
std::string HtmlEscape(std::string_view s);

}  // namespace sg
