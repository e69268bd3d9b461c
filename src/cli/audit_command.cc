// safeguard audit verify: checks the audit log's hash chain.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/store_access.h"
#include "store/audit.h"

namespace sg::cli {
namespace {

class AuditCommand : public Command {
 public:
  std::string_view name() const override { return "audit"; }
  std::string_view summary() const override { return "verify the audit log's hash chain"; }

  void Configure(CLI::App& app) override {
    app.require_subcommand(1);
    app.fallthrough();
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    verify_ = app.add_subcommand("verify", "check every entry; name the first that was altered or removed");
    AddDataOption(*verify_, &data_);
    AddDbOption(*verify_, &db_);
  }

  int Run() override {
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport("audit verify", data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    auto v = store::VerifyAudit(*conn);
    if (!v.ok()) {
      ReportError("audit verify", v.status().message());
      return kExitFailure;
    }
    if (!v->first_bad_id) {
      fmt::print("audit log OK: {} entries\n", v->entries);
      return kExitOk;
    }
    const int64_t id = *v->first_bad_id;
    auto entry = store::ReadAuditEntry(*conn, id);
    std::string what = "not in the log";
    if (entry.ok() && entry->has_value()) {
      const store::StoredAuditEntry& e = **entry;
      what = fmt::format("{}, {} by {}", e.time, e.entry.action, e.entry.actor);
    }
    fmt::print("audit log TAMPERED: first bad entry {} ({}): {}\n", id, what, v->reason);
    return kExitFailure;
  }

 private:
  std::string data_, db_;
  CLI::App* verify_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeAuditCommand() { return std::make_unique<AuditCommand>(); }

}  // namespace sg::cli
