// The HTML side of the server: pages for people (the public report form,
// analyst sign-in), as opposed to the JSON API. Every page is plain HTML
// that works without JavaScript, under a Content-Security-Policy that
// allows no script at all, styles only from /assets/safeguard.css, and
// form posts only to this server.
//
// Forms arrive as application/x-www-form-urlencoded; ParseForm decodes them
// strictly (a field given twice, a name that is not ours or text that is
// not UTF-8 is an error naming the field), so what a handler reads is
// exactly what the person typed.
// Thread safety: pure functions.
#pragma once

#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"
#include "http/router.h"

namespace sg::http {

inline constexpr std::string_view kPageCsp =
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// A whole page: the layout around `body_html` (already escaped by the
// caller: core/utf8.h HtmlEscape), with the page CSP.
Response PageResponse(unsigned status, std::string_view title, const std::string& body_html);
// 303 See Other to a path of this server (after a POST: reloading the
// result does not post again).
Response SeeOther(std::string_view location);

using FormFields = std::map<std::string, std::string, std::less<>>;
inline constexpr size_t kMaxFormFields = 64;

// Decodes an urlencoded body. kInvalidArgument (naming the field) for a
// repeated field, a field not in `allowed` (when given), more than
// kMaxFormFields fields, or a value that is not valid UTF-8.
Result<FormFields> ParseForm(std::string_view body, std::span<const std::string_view> allowed);
inline Result<FormFields> ParseForm(std::string_view body, std::initializer_list<std::string_view> allowed = {}) {
  return ParseForm(body, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}
// The field's value, or "" when absent.
std::string_view Field(const FormFields& form, std::string_view name);

// The stylesheet at /assets/safeguard.css, and its route.
void AddAssetRoutes(Router& router);

}  // namespace sg::http
