// safeguard persons: lists persons (one JSON line each with --json: id,
// identifiers, report_ids, roles), and the analysts' merge and split.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "cli/command.h"
#include "cli/store_access.h"
#include "linking/decisions.h"
#include "linking/persons.h"

namespace sg::cli {
namespace {

namespace json = boost::json;

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : "") + v[i];
  return out;
}

class PersonsCommand : public Command {
 public:
  std::string_view name() const override { return "persons"; }
  std::string_view summary() const override { return "list persons linked from reports; merge or split them"; }

  void Configure(CLI::App& app) override {
    app.require_subcommand(0, 1);
    app.fallthrough();
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    app.add_flag("--json", json_, "one JSON object per line: id, identifiers, report_ids, roles");
    merge_ = app.add_subcommand("merge", "merge two persons (an analyst's decision, audited, kept by rebuilds)");
    merge_->add_option("A", a_, "person id")->required();
    merge_->add_option("B", b_, "person id")->required();
    split_ = app.add_subcommand("split", "split identifiers and/or reports off a person into a new one");
    split_->add_option("ID", a_, "person id")->required();
    split_->add_option("--identifier", identifiers_, "kind:value to split off (repeatable)");
    split_->add_option("--report", reports_, "report id whose mention to split off (repeatable)");
  }

  int Run() override {
    const std::string what = merge_->parsed() ? "persons merge" : split_->parsed() ? "persons split" : "persons";
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport(what, data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    const linking::DecisionContext ctx{CliActorName(), ""};
    if (merge_->parsed()) {
      auto r = linking::MergePersons(*conn, a_, b_, ctx);
      if (!r.ok()) return Fail(what, r.status());
      fmt::print("merged persons {} and {} into {} (decision {})\n", a_, b_, r->person_id, r->decision_id);
      return kExitOk;
    }
    if (split_->parsed()) {
      auto r = linking::SplitPerson(*conn, a_, identifiers_, reports_, ctx);
      if (!r.ok()) return Fail(what, r.status());
      fmt::print("split person {}: new person {} (decision {})\n", r->person_id, r->new_person_id, r->decision_id);
      return kExitOk;
    }
    if (!json_) fmt::print("{:>8}  {:<16}  {:<24}  {}\n", "ID", "ROLES", "REPORTS", "IDENTIFIERS");
    Status s = linking::ForEachPerson(*conn, [&](const linking::PersonSummary& p) {
      if (json_) {
        json::object o;
        o["id"] = p.id;
        o["identifiers"] = json::array(p.identifiers.begin(), p.identifiers.end());
        o["report_ids"] = json::array(p.report_ids.begin(), p.report_ids.end());
        o["roles"] = json::array(p.roles.begin(), p.roles.end());
        fmt::print("{}\n", JsonText(o));
      } else {
        std::vector<std::string> reports;
        for (int64_t r : p.report_ids) reports.push_back(std::to_string(r));
        std::string report_text = Join(reports, ",");
        if (report_text.size() > 24) report_text = report_text.substr(0, 21) + "...";
        fmt::print("{:>8}  {:<16}  {:<24}  {}\n", p.id, Join(p.roles, ","), report_text, Join(p.identifiers, " "));
      }
      return Status::Ok();
    });
    if (!s.ok()) return Fail(what, s);
    return kExitOk;
  }

 private:
  static int Fail(const std::string& what, const Status& s) {
    ReportError(what, s.message());
    return kExitFailure;
  }

  std::string data_, db_;
  bool json_ = false;
  CLI::App* merge_ = nullptr;
  CLI::App* split_ = nullptr;
  int64_t a_ = 0, b_ = 0;
  std::vector<std::string> identifiers_;
  std::vector<int64_t> reports_;
};

}  // namespace

std::unique_ptr<Command> MakePersonsCommand() { return std::make_unique<PersonsCommand>(); }

}  // namespace sg::cli
