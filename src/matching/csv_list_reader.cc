// CSV hash lists (RFC 4180: quoted fields may hold commas, doubled quotes
// and line breaks). The header names the columns, in any order and case.
#include <algorithm>
#include <cctype>
#include <map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/text.h"
#include "core/utf8.h"
#include "matching/list_reader.h"

namespace sg::matching {
namespace {

enum class Column { kMd5, kSha1, kSha256, kPdq, kCategory, kSeries, kVictimIdentified, kLabel, kMetadata, kOther };

Column ColumnFor(const std::string& name) {
  static const std::map<std::string, Column> kKnown = {
      {"md5", Column::kMd5},       {"sha1", Column::kSha1},
      {"sha256", Column::kSha256}, {"pdq", Column::kPdq},
      {"category", Column::kCategory}, {"series", Column::kSeries},
      {"victim_identified", Column::kVictimIdentified}, {"label", Column::kLabel},
      {"metadata", Column::kMetadata}};
  auto it = kKnown.find(name);
  return it == kKnown.end() ? Column::kOther : it->second;
}

// Reads one record, which may continue over several lines inside quotes.
// Returns false at the end of input. `start` is the record's first line.
Result<bool> NextRecord(LineSource& src, std::vector<std::string>* fields, int64_t* start) {
  fields->clear();
  std::string line;
  if (!src.Next(&line)) return false;
  *start = src.line_number();
  std::string field;
  bool quoted = false, was_quoted = false;
  size_t i = 0;
  while (true) {
    if (i >= line.size()) {
      if (!quoted) break;
      // A quoted field continues on the next line.
      if (!src.Next(&line)) return src.ErrorAt(*start, "unterminated quoted field");
      field.push_back('\n');
      i = 0;
      continue;
    }
    char c = line[i++];
    if (quoted) {
      if (c == '"') {
        if (i < line.size() && line[i] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      if (!TrimAscii(field).empty()) {
        return src.ErrorAt(src.line_number(), "a quote inside an unquoted field");
      }
      field.clear();
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields->push_back(was_quoted ? field : std::string(TrimAscii(field)));
      field.clear();
      was_quoted = false;
    } else {
      if (was_quoted && !std::isspace(static_cast<unsigned char>(c))) {
        return src.ErrorAt(src.line_number(), "text after a closing quote");
      }
      if (!was_quoted) field.push_back(c);
    }
  }
  fields->push_back(was_quoted ? field : std::string(TrimAscii(field)));
  return true;
}

Result<std::optional<bool>> ParseBool(std::string_view v) {
  const std::string s = AsciiLower(v);
  if (s.empty()) return std::optional<bool>();
  if (s == "true" || s == "1" || s == "yes" || s == "y") return std::optional<bool>(true);
  if (s == "false" || s == "0" || s == "no" || s == "n") return std::optional<bool>(false);
  return InvalidArgument(fmt::format("victim_identified '{}' is not true or false", v));
}

}  // namespace

Status ReadCsvList(LineSource& source, const EntrySink& sink) {
  std::vector<std::string> fields;
  int64_t line = 0;
  // The header: the first record that is not blank.
  do {
    SG_ASSIGN_OR_RETURN(bool more, NextRecord(source, &fields, &line));
    if (!more) {
      SG_RETURN_IF_ERROR(source.error());
      return source.ErrorAt(std::max<int64_t>(line, 1), "empty file: expected a CSV header");
    }
  } while (fields.size() == 1 && fields[0].empty());
  std::vector<Column> columns;
  std::vector<std::string> names;
  bool any_hash = false;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string name = fields[i];
    if (i == 0 && name.starts_with("\xEF\xBB\xBF")) name = name.substr(3);
    name = AsciiLower(name);
    name = std::string(TrimAscii(name));
    if (name.empty()) return source.ErrorAt(line, fmt::format("header column {} has no name", i + 1));
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return source.ErrorAt(line, fmt::format("header names column '{}' twice", name));
    }
    Column c = ColumnFor(name);
    any_hash |= c == Column::kMd5 || c == Column::kSha1 || c == Column::kSha256 || c == Column::kPdq;
    columns.push_back(c);
    names.push_back(name);
  }
  if (!any_hash) {
    return source.ErrorAt(line, "the header names no hash column (md5, sha1, sha256 or pdq)");
  }
  while (true) {
    SG_ASSIGN_OR_RETURN(bool more, NextRecord(source, &fields, &line));
    if (!more) break;
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != columns.size()) {
      return source.ErrorAt(line, fmt::format("{} fields, but the header has {}", fields.size(), columns.size()));
    }
    ListEntry e;
    boost::json::object metadata;
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string& v = fields[i];
      if (!IsValidUtf8(v)) return source.ErrorAt(line, fmt::format("column '{}' is not valid UTF-8", names[i]));
      auto set_hash = [&](std::optional<std::string>& slot, std::string_view kind) -> Status {
        if (TrimAscii(v).empty()) return Status::Ok();
        auto hex = NormalizeHashHex(kind, v);
        if (!hex.ok()) return source.ErrorAt(line, fmt::format("column '{}': {}", names[i], hex.status().message()));
        slot = *hex;
        return Status::Ok();
      };
      switch (columns[i]) {
        case Column::kMd5: SG_RETURN_IF_ERROR(set_hash(e.md5, "md5")); break;
        case Column::kSha1: SG_RETURN_IF_ERROR(set_hash(e.sha1, "sha1")); break;
        case Column::kSha256: SG_RETURN_IF_ERROR(set_hash(e.sha256, "sha256")); break;
        case Column::kPdq: SG_RETURN_IF_ERROR(set_hash(e.pdq, "pdq")); break;
        case Column::kCategory: if (!v.empty()) e.category = v; break;
        case Column::kSeries: if (!v.empty()) e.series = v; break;
        case Column::kLabel: if (!v.empty()) e.label = v; break;
        case Column::kVictimIdentified: {
          auto b = ParseBool(TrimAscii(v));
          if (!b.ok()) return source.ErrorAt(line, b.status().message());
          e.victim_identified = *b;
          break;
        }
        case Column::kMetadata: {
          // A JSON object (what `lists export --format csv` writes).
          if (TrimAscii(v).empty()) break;
          boost::json::error_code ec;
          boost::json::value parsed = boost::json::parse(v, ec);
          if (ec || !parsed.is_object()) return source.ErrorAt(line, "column 'metadata' is not a JSON object");
          for (auto& [k, val] : parsed.as_object()) metadata[k] = val;
          break;
        }
        case Column::kOther: if (!v.empty()) metadata[names[i]] = v; break;
      }
    }
    if (!e.has_hash()) return source.ErrorAt(line, "no hash in this row");
    if (!metadata.empty()) e.metadata = boost::json::serialize(metadata);
    Status s = sink(std::move(e), line);
    if (!s.ok()) return source.Locate(line, s);
  }
  return source.error();
}

}  // namespace sg::matching
