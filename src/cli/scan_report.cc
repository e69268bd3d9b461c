#include "cli/scan_report.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "core/utf8.h"
#include "core/version.h"

namespace sg::cli {

void ScanSummary::AddMatches(ScannedMatch file) {
  if (file.matches.empty()) return;
  ++matched_files;
  std::set<std::string> lists, categories;
  for (const auto& m : file.matches) {
    lists.insert(m.list);
    categories.insert(m.category.value_or("uncategorised"));
  }
  for (const auto& l : lists) ++matched_by_list[l];
  for (const auto& c : categories) ++matched_by_category[c];
  matched.push_back(std::move(file));
}

boost::json::object ScanSummary::ToJson() const {
  boost::json::object o;
  o["files"] = files;
  o["images"] = images;
  o["bytes"] = bytes;
  o["matched_files"] = matched_files;
  boost::json::object by_list, by_category;
  for (const auto& [k, v] : matched_by_list) by_list[k] = v;
  for (const auto& [k, v] : matched_by_category) by_category[k] = v;
  o["matched_by_list"] = std::move(by_list);
  o["matched_by_category"] = std::move(by_category);
  o["errors"] = errors;
  return o;
}

std::string ScanSummary::ToText() const {
  std::string s = fmt::format("scanned {} files ({} images, {:.1f} MB): {} matched, {} errors\n", files, images,
                              static_cast<double>(bytes) / 1e6, matched_files, errors);
  for (const auto& [k, v] : matched_by_list) s += fmt::format("  list {}: {} files\n", k, v);
  for (const auto& [k, v] : matched_by_category) s += fmt::format("  category {}: {} files\n", k, v);
  return s;
}

namespace {

std::string CountsTable(const std::map<std::string, uint64_t>& counts, std::string_view what) {
  if (counts.empty()) return "<p>None.</p>\n";
  std::string s = fmt::format("<table><thead><tr><th>{}</th><th>Matched files</th></tr></thead><tbody>\n", what);
  for (const auto& [k, v] : counts) s += fmt::format("<tr><td>{}</td><td class=n>{}</td></tr>\n", HtmlEscape(k), v);
  return s + "</tbody></table>\n";
}

std::string RenderReport(const ScanSummary& sum, const ReportContext& ctx) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
       "<meta name=viewport content=\"width=device-width, initial-scale=1\">\n"
       // Self-contained and inert: no scripts, no external resources.
       "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
       "<title>Safeguard scan report</title>\n<style>\n"
       "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}"
       "table{border-collapse:collapse;margin:.5em 0 1.5em}"
       "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}"
       "th{background:#eee}td.n{text-align:right}code{font-size:12px;word-break:break-all}"
       ".note{color:#555}\n</style></head><body>\n";
  h += "<h1>Safeguard scan report</h1>\n";
  h += fmt::format("<p class=note>safeguard {} &middot; started {} &middot; finished {} &middot; PDQ radius {}. "
                   "This report holds hashes and metadata only: no images.</p>\n",
                   SG_VERSION, HtmlEscape(ctx.started_at), HtmlEscape(ctx.finished_at), ctx.radius);
  h += "<h2>Scanned</h2>\n<ul>\n";
  for (const auto& p : ctx.paths) h += fmt::format("<li><code>{}</code></li>\n", HtmlEscape(p));
  h += "</ul>\n<h2>Summary</h2>\n<table><tbody>\n";
  h += fmt::format("<tr><th>Files</th><td class=n>{}</td></tr>\n<tr><th>Images</th><td class=n>{}</td></tr>\n"
                   "<tr><th>Bytes</th><td class=n>{}</td></tr>\n<tr><th>Matched files</th><td class=n>{}</td></tr>\n"
                   "<tr><th>Errors</th><td class=n>{}</td></tr>\n</tbody></table>\n",
                   sum.files, sum.images, sum.bytes, sum.matched_files, sum.errors);
  h += "<h2>Matched files by category</h2>\n" + CountsTable(sum.matched_by_category, "Category");
  h += "<h2>Matched files by list</h2>\n" + CountsTable(sum.matched_by_list, "List");
  h += "<h2>Matched files</h2>\n";
  if (sum.matched.empty()) {
    h += "<p>None.</p>\n";
  } else {
    h += "<table><thead><tr><th>#</th><th>Path</th><th>Size</th><th>SHA-256</th><th>List</th><th>Category</th>"
         "<th>Match</th><th>Distance</th><th>Series</th></tr></thead><tbody>\n";
    size_t n = 0;
    for (const auto& f : sum.matched) {
      ++n;
      for (size_t i = 0; i < f.matches.size(); ++i) {
        const auto& m = f.matches[i];
        std::string kind = m.kind == "pdq" && m.variant != "original" ? "pdq (" + m.variant + ")" : m.kind;
        h += "<tr>";
        if (i == 0) {
          const auto rows = f.matches.size();
          h += fmt::format("<td rowspan={0} class=n>{1}</td><td rowspan={0}><code>{2}</code></td>"
                           "<td rowspan={0} class=n>{3}</td><td rowspan={0}><code>{4}</code></td>",
                           rows, n, HtmlEscape(f.path), f.size, HtmlEscape(f.sha256));
        }
        h += fmt::format("<td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td>{}</td></tr>\n", HtmlEscape(m.list),
                         HtmlEscape(m.category.value_or("")), HtmlEscape(kind), m.distance,
                         HtmlEscape(m.series.value_or("")));
      }
    }
    h += "</tbody></table>\n";
  }
  h += "<h2>Files that could not be read</h2>\n";
  if (sum.failed.empty()) {
    h += "<p>None.</p>\n";
  } else {
    h += "<table><thead><tr><th>Path</th><th>Reason</th></tr></thead><tbody>\n";
    for (const auto& [path, why] : sum.failed) {
      h += fmt::format("<tr><td><code>{}</code></td><td>{}</td></tr>\n", HtmlEscape(path), HtmlEscape(why));
    }
    h += "</tbody></table>\n";
  }
  h += fmt::format("<h2>Hash lists</h2>\n<p class=note>Data directory <code>{}</code>.</p>\n", HtmlEscape(ctx.data_dir));
  h += "<table><thead><tr><th>List</th><th>Scheme</th><th>Enabled</th><th>Entries</th><th>Updated</th><th>Source</th>"
       "</tr></thead><tbody>\n";
  for (const auto& l : ctx.lists) {
    h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td>{}</td><td>{}</td></tr>\n",
                     HtmlEscape(l.name), matching::SchemeName(l.scheme), l.enabled ? "yes" : "no", l.entries,
                     HtmlEscape(l.updated_at), HtmlEscape(l.source));
  }
  h += "</tbody></table>\n</body></html>\n";
  return h;
}

}  // namespace

Status WriteScanReport(const std::string& path, const ScanSummary& summary, const ReportContext& context) {
  const std::string html = RenderReport(summary, context);
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return IoError(fmt::format("{}: cannot write the report: {}", path, std::strerror(errno)));
  bool ok = std::fwrite(html.data(), 1, html.size(), f) == html.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IoError(fmt::format("{}: cannot write the report", path));
  }
  return Status::Ok();
}

}  // namespace sg::cli
