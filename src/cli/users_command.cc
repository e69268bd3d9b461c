// safeguard users add: people who sign in to the server.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/store_access.h"
#include "security/users.h"

namespace sg::cli {
namespace {

// Overwrites a password before its memory is freed.
void Wipe(std::string& s) {
  if (!s.empty()) ::explicit_bzero(s.data(), s.size());
  s.clear();
}

// One line from stdin, without its line ending; nullopt at end of input.
std::optional<std::string> ReadLine(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) {
    if (line.empty()) return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Asks on the terminal with echo off; the prompt goes to stderr. Echo is
// turned off before the prompt is shown, so nothing typed after the prompt
// can appear, and restored at once (TCSANOW: what is typed ahead is kept).
std::optional<std::string> Prompt(const std::string& prompt) {
  termios old_mode{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (tty) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  fmt::print(stderr, "{}", prompt);
  std::fflush(stderr);
  auto line = ReadLine(std::cin);
  if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  return line;
}

class UsersCommand : public Command {
 public:
  std::string_view name() const override { return "users"; }
  std::string_view summary() const override { return "add users who sign in to the server"; }

  void Configure(CLI::App& app) override {
    app.require_subcommand(1);
    app.fallthrough();
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    add_ = app.add_subcommand("add", "add a user; asks for the password twice (or --password-stdin)");
    add_->add_option("--role", role_, "admin, analyst or reporter")
        ->required()
        ->check(CLI::IsMember({"admin", "analyst", "reporter"}));
    add_->add_flag("--password-stdin", password_stdin_, "read the password from the first line of stdin");
    add_->add_option("name", user_, "the user's name: a-z, 0-9, '.', '_', '-'")->required();
    AddDataOption(*add_, &data_);
    AddDbOption(*add_, &db_);
  }

  int Run() override {
    Status valid = security::ValidateName("user", user_);
    if (!valid.ok()) {
      ReportError("users add", valid.message());
      return kExitUsage;
    }
    std::string password;
    if (password_stdin_) {
      auto line = ReadLine(std::cin);
      if (!line) {
        ReportError("users add", "--password-stdin: no password on stdin");
        return kExitFailure;
      }
      password = std::move(*line);
    } else {
      if (::isatty(STDIN_FILENO) == 0) {
        ReportError("users add", "stdin is not a terminal: give the password with --password-stdin");
        return kExitUsage;
      }
      auto first = Prompt(fmt::format("Password for {}: ", user_));
      auto second = first ? Prompt("Again: ") : std::nullopt;
      if (!first || !second) {
        ReportError("users add", "no password given");
        return kExitFailure;
      }
      const bool same = *first == *second;
      password = std::move(*first);
      Wipe(*second);
      if (!same) {
        Wipe(password);
        ReportError("users add", "the two passwords differ; nothing was changed");
        return kExitFailure;
      }
    }
    // Checked before touching the store, with the same rule CreateUser applies.
    Status pw_ok = security::ValidatePassword(password);
    if (!pw_ok.ok()) {
      Wipe(password);
      ReportError("users add", pw_ok.message());
      return kExitFailure;
    }
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport("users add", data_, db_, &data_dir);
    if (!conn) {
      Wipe(password);
      return kExitFailure;
    }
    const security::Role role = *security::ParseRole(role_);
    auto made = security::CreateUser(*conn, user_, role, password, {CliActorName(), ""});
    Wipe(password);
    if (!made.ok()) {
      ReportError("users add", made.status().message());
      return kExitFailure;
    }
    fmt::print("user {} ({}) added\n", made->name, security::RoleName(role));
    return kExitOk;
  }

 private:
  std::string data_, db_, role_, user_;
  bool password_stdin_ = false;
  CLI::App* add_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeUsersCommand() { return std::make_unique<UsersCommand>(); }

}  // namespace sg::cli
