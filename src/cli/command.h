// A subcommand of the `safeguard` tool. Each lives in its own file and
// registers itself in commands.cc. main.cc owns parsing errors and help, so
// every command reports them the same way: a one-line error, a hint, exit 2.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace sg::cli {

// Exit statuses shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran, something failed
inline constexpr int kExitUsage = 2;    // the command line was wrong

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // Declares the command's flags and arguments on `app`, bound to members.
  virtual void Configure(CLI::App& app) = 0;
  // Runs after a successful parse; returns the exit status.
  virtual int Run() = 0;
};

std::vector<std::unique_ptr<Command>> AllCommands();

std::unique_ptr<Command> MakeHashCommand();
std::unique_ptr<Command> MakeListsCommand();
std::unique_ptr<Command> MakeMatchCommand();
std::unique_ptr<Command> MakeScanCommand();
std::unique_ptr<Command> MakeServeCommand();
std::unique_ptr<Command> MakeImportCommand();
std::unique_ptr<Command> MakeUsersCommand();
std::unique_ptr<Command> MakeTokensCommand();
std::unique_ptr<Command> MakeAuditCommand();
std::unique_ptr<Command> MakeChatCommand();
std::unique_ptr<Command> MakeLinkCommand();
std::unique_ptr<Command> MakePersonsCommand();
std::unique_ptr<Command> MakeNetworksCommand();

}  // namespace sg::cli
