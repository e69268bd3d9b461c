// safeguard lists import|ls|export|rm|disable|enable: the hash lists.
#include <cstdio>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "cli/command.h"
#include "cli/store_access.h"
#include <cerrno>
#include <cstring>

#include "core/progress.h"
#include "matching/list_store.h"
#include "matching/list_writer.h"
#include "matching/matcher.h"

namespace sg::cli {
namespace {

using matching::ListFormat;
using matching::ListInfo;
using matching::ListStore;

class ListsCommand : public Command {
 public:
  std::string_view name() const override { return "lists"; }
  std::string_view summary() const override { return "import, list, export and remove known-material hash lists"; }

  void Configure(CLI::App& app) override {
    app.require_subcommand(1);
    app.fallthrough();  // --data may come before or after the subcommand
    AddDataOption(app, &data_);
    import_ = app.add_subcommand("import", "import a list file; all or nothing (FILE:LINE on the first error)");
    import_->add_option("--name", name_, "the list's name (created if new)")->required();
    import_->add_option("--format", format_, "vics, csv, te, hex, md5, sha1 or sha256")
        ->required()->check(CLI::IsMember({"vics", "csv", "te", "hex", "md5", "sha1", "sha256"}));
    import_->add_option("--scheme", scheme_, "category scheme: uk, industry, vics or none "
                                             "(default: the list's, or vics for VICS files, else none)")
        ->check(CLI::IsMember({"uk", "industry", "vics", "none"}));
    import_->add_option("--source", source_, "where the list came from (default: the file name)");
    import_->add_option("file", file_, "the list file")->required();

    ls_ = app.add_subcommand("ls", "show the lists and their entry counts");
    ls_->add_flag("--json", json_, "one JSON object per list");

    export_ = app.add_subcommand("export", "write a list's live entries to stdout (or -o FILE)");
    export_->add_option("--name", name_, "the list")->required();
    export_->add_option("--format", format_, "vics or csv")->required()->check(CLI::IsMember({"vics", "csv"}));
    export_->add_option("-o,--output", output_, "write to this file instead of stdout");

    rm_ = app.add_subcommand("rm", "remove a list, or with --hash only some of its entries (kept as tombstones)");
    rm_->add_option("--name", name_, "the list")->required();
    rm_->add_option("--hash", hashes_, "remove the entries with this MD5, SHA-1, SHA-256 or PDQ hash");

    disable_ = app.add_subcommand("disable", "stop matching against a list (its entries are kept)");
    disable_->add_option("--name", name_, "the list")->required();
    enable_ = app.add_subcommand("enable", "match against a disabled list again");
    enable_->add_option("--name", name_, "the list")->required();
    AddDbOption(app, &db_);
    for (CLI::App* sub : {import_, ls_, export_, rm_, disable_, enable_}) {
      AddDataOption(*sub, &data_);
      AddDbOption(*sub, &db_);
    }
  }

  int Run() override {
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport("lists", data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    ListStore lists(*conn);
    Status s;
    if (import_->parsed()) s = Import(*conn, lists, data_dir);
    else if (ls_->parsed()) s = Ls(lists);
    else if (export_->parsed()) s = Export(lists);
    else if (rm_->parsed()) s = Rm(*conn, lists, data_dir);
    else s = Enable(*conn, lists, data_dir, enable_->parsed());
    if (!s.ok()) {
      ReportError(fmt::format("lists {}", Sub()), s.message());
      return kExitFailure;
    }
    return kExitOk;
  }

 private:
  std::string Sub() const {
    for (CLI::App* sub : {import_, ls_, export_, rm_, disable_, enable_}) {
      if (sub->parsed()) return sub->get_name();
    }
    return "";
  }

  // Brings the PDQ index up to date now, so the next match starts at once.
  static Status RefreshIndex(store::Connection& conn, const std::filesystem::path& data_dir) {
    auto m = matching::Matcher::Open(conn, data_dir, [&](const std::string& what) {
      if (ProgressBar::StderrIsTerminal()) fmt::print(stderr, "safeguard lists: {}\n", what);
    });
    return m.status();
  }

  Status Import(store::Connection& conn, ListStore& lists, const std::filesystem::path& data_dir) {
    auto source = matching::LineSource::OpenFile(file_);
    if (!source.ok()) return source.status();
    matching::ImportOptions options;
    options.name = name_;
    options.format = *matching::ParseFormat(format_);
    if (!scheme_.empty()) options.scheme = matching::ParseScheme(scheme_);
    options.source = source_.empty() ? std::filesystem::path(file_).filename().string() : source_;
    auto result = lists.Import(options, **source);
    if (!result.ok()) return result.status();
    fmt::print("{}: read {} entries from {}: {} added, {} already present; the list has {} live entries\n",
               name_, result->read, file_, result->added, result->already_present, result->list.entries);
    std::fflush(stdout);
    return RefreshIndex(conn, data_dir);
  }

  Status Ls(ListStore& lists) {
    auto all = lists.Lists();
    if (!all.ok()) return all.status();
    if (json_) {
      for (const ListInfo& l : *all) {
        boost::json::object o;
        o["name"] = l.name;
        o["source"] = l.source;
        o["scheme"] = matching::SchemeName(l.scheme);
        o["enabled"] = l.enabled;
        o["entries"] = l.entries;
        o["removed"] = l.tombstones;
        o["pdq_entries"] = l.pdq_entries;
        o["created_at"] = l.created_at;
        o["updated_at"] = l.updated_at;
        fmt::print("{}\n", JsonText(o));
      }
      return Status::Ok();
    }
    if (all->empty()) {
      fmt::print("no hash lists yet (import one with `safeguard lists import`)\n");
      return Status::Ok();
    }
    fmt::print("{:<24} {:<9} {:<8} {:>10} {:>8} {:>10}  {:<24} {}\n", "NAME", "SCHEME", "ENABLED", "ENTRIES",
               "REMOVED", "PDQ", "UPDATED", "SOURCE");
    for (const ListInfo& l : *all) {
      fmt::print("{:<24} {:<9} {:<8} {:>10} {:>8} {:>10}  {:<24} {}\n", l.name, matching::SchemeName(l.scheme),
                 l.enabled ? "yes" : "no", l.entries, l.tombstones, l.pdq_entries, l.updated_at, l.source);
    }
    return Status::Ok();
  }

  Status Export(ListStore& lists) {
    std::FILE* out = stdout;
    std::string tmp;
    if (!output_.empty()) {
      // Written beside the target and renamed: no half-written export.
      tmp = output_ + ".tmp";
      out = std::fopen(tmp.c_str(), "wb");
      if (out == nullptr) return IoError(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
    }
    Status s = matching::ExportList(lists, name_, *matching::ParseFormat(format_), out);
    if (out != stdout) {
      if (std::fclose(out) != 0 && s.ok()) s = IoError(fmt::format("{}: write failed", tmp));
      if (s.ok() && std::rename(tmp.c_str(), output_.c_str()) != 0) {
        s = IoError(fmt::format("{}: cannot rename into place: {}", output_, std::strerror(errno)));
      }
      if (!s.ok()) std::remove(tmp.c_str());
    } else {
      std::fflush(stdout);
    }
    return s;
  }

  Status Rm(store::Connection& conn, ListStore& lists, const std::filesystem::path& data_dir) {
    if (hashes_.empty()) {
      SG_RETURN_IF_ERROR(lists.Remove(name_));
      fmt::print("{}: removed\n", name_);
    } else {
      auto n = lists.RemoveEntries(name_, hashes_);
      if (!n.ok()) return n.status();
      fmt::print("{}: {} entries removed (kept as tombstones)\n", name_, *n);
    }
    std::fflush(stdout);
    return RefreshIndex(conn, data_dir);
  }

  Status Enable(store::Connection& conn, ListStore& lists, const std::filesystem::path& data_dir, bool enable) {
    SG_RETURN_IF_ERROR(lists.SetEnabled(name_, enable));
    fmt::print("{}: {}\n", name_, enable ? "enabled" : "disabled");
    std::fflush(stdout);
    return RefreshIndex(conn, data_dir);
  }

  std::string data_, db_, name_, format_, scheme_, source_, file_, output_;
  std::vector<std::string> hashes_;
  bool json_ = false;
  CLI::App *import_ = nullptr, *ls_ = nullptr, *export_ = nullptr, *rm_ = nullptr, *disable_ = nullptr,
           *enable_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeListsCommand() { return std::make_unique<ListsCommand>(); }

}  // namespace sg::cli
