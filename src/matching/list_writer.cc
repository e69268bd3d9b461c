#include "matching/list_writer.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/text.h"

namespace sg::matching {
namespace {

namespace json = boost::json;

// RFC 4180: quote a field that holds a comma, quote, CR or LF.
std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Status Written(std::FILE* out) {
  if (std::ferror(out)) return IoError("writing the export failed");
  return Status::Ok();
}

Status ExportVics(ListStore& lists, const ListInfo& info, std::FILE* out) {
  std::fputs("{\"@odata.context\": \"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/CUSTOM/$metadata#Media\",\n"
             " \"value\": [", out);
  int64_t n = 0;
  SG_RETURN_IF_ERROR(lists.ForEachEntry(info.name, false, [&](const StoredEntry& s) {
    json::object media;
    media["MediaID"] = ++n;
    const ListEntry& e = s.entry;
    if (e.category) {
      if (info.scheme == Scheme::kVics) media["Category"] = std::stoll(*e.category);
      else media["Category"] = *e.category;
    }
    // VICS writes MD5 and SHA1 in upper case.
    if (e.md5) media["MD5"] = AsciiUpper(*e.md5);
    if (e.sha1) media["SHA1"] = AsciiUpper(*e.sha1);
    if (e.sha256) media["SHA256"] = AsciiUpper(*e.sha256);
    if (e.pdq) media["PDQ"] = *e.pdq;
    if (e.series) media["Series"] = *e.series;
    if (e.victim_identified) media["VictimIdentified"] = *e.victim_identified;
    if (e.label) media["Label"] = *e.label;
    if (!e.metadata.empty()) {
      json::error_code ec;
      json::value meta = json::parse(e.metadata, ec);
      if (!ec && meta.is_object()) {
        for (auto& [k, v] : meta.as_object()) {
          if (!media.contains(k)) media[k] = v;
        }
      }
    }
    std::string line = json::serialize(media);
    fmt::print(out, "{}\n  {}", n == 1 ? "" : ",", line);
    return Written(out);
  }));
  std::fputs("\n ]\n}\n", out);
  return Written(out);
}

Status ExportCsv(ListStore& lists, const ListInfo& info, std::FILE* out) {
  std::fputs("md5,sha1,sha256,pdq,category,series,victim_identified,label,metadata\n", out);
  return lists.ForEachEntry(info.name, false, [&](const StoredEntry& s) {
    const ListEntry& e = s.entry;
    std::string victim = e.victim_identified ? (*e.victim_identified ? "true" : "false") : "";
    fmt::print(out, "{},{},{},{},{},{},{},{},{}\n", e.md5.value_or(""), e.sha1.value_or(""),
               e.sha256.value_or(""), e.pdq.value_or(""), CsvField(e.category.value_or("")),
               CsvField(e.series.value_or("")), victim, CsvField(e.label.value_or("")), CsvField(e.metadata));
    return Written(out);
  });
}

}  // namespace

Status ExportList(ListStore& lists, const std::string& name, ListFormat format, std::FILE* out) {
  SG_ASSIGN_OR_RETURN(ListInfo info, lists.Get(name));
  switch (format) {
    case ListFormat::kVics: return ExportVics(lists, info, out);
    case ListFormat::kCsv: return ExportCsv(lists, info, out);
    default: return InvalidArgument(fmt::format("cannot export as {}: use vics or csv", FormatName(format)));
  }
}

}  // namespace sg::matching
