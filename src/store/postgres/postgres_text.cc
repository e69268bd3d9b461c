// Text helpers of the PostgreSQL backend: placeholder translation and URL
// redaction (postgres_connection.h). Pure string work, no libpq.
#include <cctype>

#include <fmt/format.h>

#include "store/postgres/postgres_connection.h"

namespace sg::store {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// If sql[i] starts a dollar-quote opener ($$ or $tag$), its length; else 0.
size_t DollarTagLength(std::string_view sql, size_t i) {
  if (sql[i] != '$') return 0;
  if (i > 0 && IsIdentChar(sql[i - 1])) return 0;  // part of an identifier, or $1
  size_t j = i + 1;
  if (j < sql.size() && (std::isdigit(static_cast<unsigned char>(sql[j])) != 0)) return 0;
  while (j < sql.size() && sql[j] != '$') {
    if (!IsIdentChar(sql[j]) || sql[j] == '$') return 0;
    ++j;
  }
  return j < sql.size() ? j - i + 1 : 0;
}

}  // namespace

std::string TranslatePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '?') {
      out += fmt::format("${}", ++n);
      ++i;
    } else if (c == '\'' || c == '"') {
      // A quoted string or identifier; a doubled quote is an escaped one. In
      // E'...' strings a backslash escapes the next character too.
      const bool backslashes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                               (i < 2 || !IsIdentChar(sql[i - 2]));
      size_t j = i + 1;
      while (j < sql.size()) {
        if (backslashes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      j = std::min(j, sql.size());
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      j = j == std::string_view::npos ? sql.size() : j;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      // Block comments nest in PostgreSQL.
      int depth = 0;
      size_t j = i;
      while (j < sql.size()) {
        if (sql.compare(j, 2, "/*") == 0) {
          ++depth;
          j += 2;
        } else if (sql.compare(j, 2, "*/") == 0) {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      j = std::min(j, sql.size());
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (size_t tag = DollarTagLength(sql, i); tag > 0) {
      const std::string_view opener = sql.substr(i, tag);
      size_t close = sql.find(opener, i + tag);
      size_t j = close == std::string_view::npos ? sql.size() : close + tag;
      out.append(sql.substr(i, j - i));
      i = j;
    } else {
      // Copy identifiers whole, so a `$` inside one is never taken for a
      // dollar quote.
      if (IsIdentChar(c)) {
        size_t j = i;
        while (j < sql.size() && IsIdentChar(sql[j])) ++j;
        out.append(sql.substr(i, j - i));
        i = j;
      } else {
        out += c;
        ++i;
      }
    }
  }
  if (count != nullptr) *count = n;
  return out;
}

std::string RedactPostgresUrl(std::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    // postgresql://user:password@host:port/db?k=v&password=...
    const size_t start = scheme + 3;
    const size_t end = std::min(out.find_first_of("/?", start), out.size());
    const size_t at = out.rfind('@', end == out.size() ? std::string::npos : end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
    const size_t query = out.find('?', start);
    if (query != std::string::npos) {
      std::string kept;
      size_t pos = query + 1;
      while (pos <= out.size()) {
        size_t amp = out.find('&', pos);
        if (amp == std::string::npos) amp = out.size();
        std::string_view param(out.data() + pos, amp - pos);
        if (!param.empty() && param.substr(0, 9) != "password=") {
          if (!kept.empty()) kept += '&';
          kept.append(param);
        }
        pos = amp + 1;
      }
      out.erase(query);
      if (!kept.empty()) out += "?" + kept;
    }
    return out;
  }
  // key=value form: drop `password=VALUE` (VALUE possibly single-quoted).
  size_t p = 0;
  while ((p = out.find("password", p)) != std::string::npos) {
    if (p > 0 && !std::isspace(static_cast<unsigned char>(out[p - 1]))) {
      p += 8;
      continue;
    }
    size_t q = p + 8;
    while (q < out.size() && std::isspace(static_cast<unsigned char>(out[q]))) ++q;
    if (q >= out.size() || out[q] != '=') {
      p = q;
      continue;
    }
    ++q;
    while (q < out.size() && std::isspace(static_cast<unsigned char>(out[q]))) ++q;
    if (q < out.size() && out[q] == '\'') {
      ++q;
      while (q < out.size() && out[q] != '\'') q += out[q] == '\\' ? 2 : 1;
      ++q;
    } else {
      while (q < out.size() && !std::isspace(static_cast<unsigned char>(out[q]))) ++q;
    }
    q = std::min(q, out.size());
    while (q < out.size() && std::isspace(static_cast<unsigned char>(out[q]))) ++q;
    out.erase(p, q - p);
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  return out;
}

}  // namespace sg::store
