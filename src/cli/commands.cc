#include "cli/command.h"

namespace sg::cli {

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> all;
  all.push_back(MakeHashCommand());
  return all;
}

}  // namespace sg::cli
