// Fuzzes ParseForm, the decoder in front of every HTML form (the public
// report form, sign-in). Every input must end in fields or an error, never a
// crash; accepted values are valid UTF-8, never more than kMaxFormFields of
// them, and a form re-encoded from the result decodes to the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "http/pages.h"

namespace {

std::string Encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = sg::http::ParseForm(body);
  if (!form.ok()) {
    if (form.status().message().empty()) std::abort();
    return 0;
  }
  if (form->size() > sg::http::kMaxFormFields) std::abort();
  std::string again;
  for (const auto& [name, value] : *form) {
    if (!sg::IsValidUtf8(value)) std::abort();
    if (!again.empty()) again += '&';
    again += Encode(name) + "=" + Encode(value);
  }
  auto round = sg::http::ParseForm(again);
  if (!round.ok() || *round != *form) std::abort();
  return 0;
}
