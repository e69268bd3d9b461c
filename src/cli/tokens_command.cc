// safeguard tokens create|revoke|ls: API tokens for platforms and scripts.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/store_access.h"
#include "security/tokens.h"

namespace sg::cli {
namespace {

class TokensCommand : public Command {
 public:
  std::string_view name() const override { return "tokens"; }
  std::string_view summary() const override { return "create, revoke and list API tokens"; }

  void Configure(CLI::App& app) override {
    app.require_subcommand(1);
    app.fallthrough();
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    create_ = app.add_subcommand("create", "create a token; it is printed once, alone on the last line");
    create_->add_option("--role", role_, "reporter (an industry platform), analyst or admin")
        ->required()
        ->check(CLI::IsMember({"reporter", "analyst", "admin"}));
    create_->add_option("--name", token_name_, "the token's name: a-z, 0-9, '.', '_', '-'")->required();
    revoke_ = app.add_subcommand("revoke", "revoke the live token of this name");
    revoke_->add_option("--name", token_name_, "the token's name")->required();
    ls_ = app.add_subcommand("ls", "list tokens (names and roles; the tokens themselves are not kept)");
    for (CLI::App* sub : {create_, revoke_, ls_}) {
      AddDataOption(*sub, &data_);
      AddDbOption(*sub, &db_);
    }
  }

  int Run() override {
    const std::string command = fmt::format("tokens {}", Sub());
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport(command, data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    const security::Actor actor{CliActorName(), ""};
    if (create_->parsed()) {
      const security::Role role = *security::ParseRole(role_);
      auto made = security::CreateToken(*conn, token_name_, role, actor);
      if (!made.ok()) {
        ReportError(command, made.status().message());
        return kExitFailure;
      }
      // The token alone on the last line, for scripts: `| tail -n 1`.
      fmt::print("token {} ({}) created; it is shown only now, keep it secret:\n{}\n", token_name_,
                 security::RoleName(role), made->token);
      std::fflush(stdout);
      return kExitOk;
    }
    if (revoke_->parsed()) {
      Status s = security::RevokeToken(*conn, token_name_, actor);
      if (!s.ok()) {
        ReportError(command, s.message());
        return kExitFailure;
      }
      fmt::print("token {} revoked\n", token_name_);
      return kExitOk;
    }
    auto all = security::ListTokens(*conn);
    if (!all.ok()) {
      ReportError(command, all.status().message());
      return kExitFailure;
    }
    fmt::print("{:<6} {:<24} {:<9} {:<24} {}\n", "ID", "NAME", "ROLE", "CREATED", "REVOKED");
    for (const security::TokenInfo& t : *all) {
      fmt::print("{:<6} {:<24} {:<9} {:<24} {}\n", t.id, t.name, security::RoleName(t.role), t.created_at,
                 t.revoked_at.value_or("-"));
    }
    return kExitOk;
  }

 private:
  std::string Sub() const {
    for (CLI::App* sub : {create_, revoke_, ls_}) {
      if (sub->parsed()) return sub->get_name();
    }
    return "";
  }

  std::string data_, db_, role_, token_name_;
  CLI::App *create_ = nullptr, *revoke_ = nullptr, *ls_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeTokensCommand() { return std::make_unique<TokensCommand>(); }

}  // namespace sg::cli
