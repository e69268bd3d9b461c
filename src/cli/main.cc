// safeguard: the command-line tool. Dispatches to one Command per
// subcommand; see `safeguard --help`.
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cli/command.h"
#include "core/version.h"

namespace sg::cli {
namespace {

void PrintUsage(std::FILE* out) {
  fmt::print(out,
             "safeguard {}: intelligence and triage for online child protection.\n"
             "Works with hashes and metadata only: it never stores or shows an image.\n\n"
             "Usage: safeguard COMMAND [OPTIONS] [ARGS]...\n\nCommands:\n",
             SG_VERSION);
  for (const auto& c : AllCommands()) fmt::print(out, "  {:<12} {}\n", c->name(), c->summary());
  fmt::print(out,
             "\nOptions:\n  -h, --help     show this help\n  --version      show the version\n\n"
             "Run 'safeguard help COMMAND' for a command's options.\n");
}

int UsageError(std::string_view message, std::string_view command) {
  fmt::print(stderr, "safeguard: {}\n", message);
  if (command.empty()) {
    fmt::print(stderr, "Run 'safeguard --help' for usage.\n");
  } else {
    fmt::print(stderr, "Run 'safeguard help {}' for usage.\n", command);
  }
  return kExitUsage;
}

std::unique_ptr<Command> FindCommand(std::string_view name) {
  for (auto& c : AllCommands()) {
    if (c->name() == name) return std::move(c);
  }
  return nullptr;
}

std::string HelpOf(Command& command) {
  CLI::App app{std::string(command.summary()), "safeguard " + std::string(command.name())};
  command.Configure(app);
  return app.help();
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return kExitUsage;
  }
  const std::string_view first = argv[1];
  if (first == "--help" || first == "-h") {
    PrintUsage(stdout);
    return kExitOk;
  }
  if (first == "--version") {
    fmt::print("safeguard {}\n", SG_VERSION);
    return kExitOk;
  }
  if (first == "help") {
    if (argc == 2) {
      PrintUsage(stdout);
      return kExitOk;
    }
    auto command = FindCommand(argv[2]);
    if (!command) return UsageError(fmt::format("unknown command '{}'", argv[2]), "");
    fmt::print("{}", HelpOf(*command));
    return kExitOk;
  }
  if (!first.empty() && first[0] == '-') return UsageError(fmt::format("unknown option '{}'", first), "");
  auto command = FindCommand(first);
  if (!command) return UsageError(fmt::format("unknown command '{}'", first), "");

  CLI::App app{std::string(command->summary()), "safeguard " + std::string(command->name())};
  command->Configure(app);
  try {
    // argv[1] (the command name) stands in for the program name.
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::CallForHelp&) {
    // The help of the innermost subcommand given ("lists import --help").
    CLI::App* target = &app;
    while (!target->get_subcommands().empty()) target = target->get_subcommands().front();
    fmt::print("{}", target->help());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
    return UsageError(fmt::format("{}: {}", command->name(), what), command->name());
  }
  return command->Run();
}

}  // namespace
}  // namespace sg::cli

int main(int argc, char** argv) {
  try {
    return sg::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    // Only programmer errors and start-up failures get here.
    fmt::print(stderr, "safeguard: internal error: {}\n", e.what());
    return sg::cli::kExitFailure;
  }
}
