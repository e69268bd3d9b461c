#include "http/pages.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/utf8.h"

namespace sg::http {
namespace {

// Plain, readable on a phone, nothing loaded from elsewhere.
constexpr std::string_view kStylesheet = R"css(
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; line-height: 1.5; color: #1b1b1b; }
header { border-bottom: 2px solid #1d4e89; margin-bottom: 1rem; }
header a { color: #1d4e89; font-weight: bold; text-decoration: none; }
.danger { background: #b00020; color: #fff; padding: 1rem; border-radius: 4px; font-size: 1.15rem; }
.danger strong { font-size: 1.4rem; }
.error { background: #fdecea; border-left: 4px solid #b00020; padding: .5rem 1rem; }
.ok { background: #e8f5e9; border-left: 4px solid #2e7d32; padding: .5rem 1rem; }
fieldset { border: 1px solid #ccc; margin: 1rem 0; padding: .5rem 1rem; }
label { display: block; margin-top: .6rem; font-weight: 600; }
input[type=text], input[type=email], input[type=tel], input[type=password], input[type=date], input[type=time], input[type=number], select, textarea { width: 100%; box-sizing: border-box; padding: .4rem; font-size: 1rem; }
textarea { min-height: 6rem; }
.hint { color: #555; font-weight: normal; font-size: .9rem; }
button { font-size: 1.1rem; padding: .5rem 1.5rem; margin-top: 1rem; background: #1d4e89; color: #fff; border: 0; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; }
.ref { font-size: 2rem; font-weight: bold; letter-spacing: .1rem; }
)css";

}  // namespace

Response PageResponse(unsigned status, std::string_view title, const std::string& body_html) {
  Response res{static_cast<beast_http::status>(status), 11};
  res.set(beast_http::field::content_type, "text/html; charset=utf-8");
  res.set("Content-Security-Policy", kPageCsp);
  res.body() = fmt::format(
      "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
      "<meta name=viewport content=\"width=device-width, initial-scale=1\">"
      "<title>{} - Safeguard</title><link rel=stylesheet href=\"/assets/safeguard.css\"></head>\n"
      "<body><header><p><a href=\"/report\">Safeguard</a></p></header>\n<main>\n{}\n</main></body></html>\n",
      HtmlEscape(title), body_html);
  return res;
}

Response SeeOther(std::string_view location) {
  Response res{beast_http::status::see_other, 11};
  res.set(beast_http::field::location, location);
  res.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  res.body() = fmt::format("See {}\n", location);
  return res;
}

Result<FormFields> ParseForm(std::string_view body, std::span<const std::string_view> allowed) {
  FormFields form;
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = UrlDecode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    const std::string shown = HtmlEscape(name.substr(0, 64));
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return InvalidArgument(fmt::format("unknown form field '{}'", shown));
    }
    if (!IsValidUtf8(value)) return InvalidArgument(fmt::format("form field '{}' is not valid UTF-8 text", shown));
    if (form.size() >= kMaxFormFields) return InvalidArgument("the form has too many fields");
    if (!form.emplace(std::move(name), std::move(value)).second) {
      return InvalidArgument(fmt::format("form field '{}' was given twice", shown));
    }
  }
  return form;
}

std::string_view Field(const FormFields& form, std::string_view name) {
  auto it = form.find(name);
  return it == form.end() ? std::string_view() : std::string_view(it->second);
}

void AddAssetRoutes(Router& router) {
  router.Add(beast_http::verb::get, "/assets/safeguard.css",
             [](Request&, const RequestContext&, const PathParams&, Responder respond) {
               Response res{beast_http::status::ok, 11};
               res.set(beast_http::field::content_type, "text/css; charset=utf-8");
               // Public and unchanging per release: let browsers keep it.
               res.set(beast_http::field::cache_control, "public, max-age=3600");
               res.body() = std::string(kStylesheet);
               respond(std::move(res));
             });
}

}  // namespace sg::http
