#include "cli/command.h"

namespace sg::cli {

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> all;
  all.push_back(MakeHashCommand());
  all.push_back(MakeListsCommand());
  all.push_back(MakeMatchCommand());
  all.push_back(MakeScanCommand());
  all.push_back(MakeServeCommand());
  all.push_back(MakeImportCommand());
  all.push_back(MakeUsersCommand());
  all.push_back(MakeTokensCommand());
  all.push_back(MakeAuditCommand());
  all.push_back(MakeChatCommand());
  all.push_back(MakeLinkCommand());
  all.push_back(MakePersonsCommand());
  all.push_back(MakeNetworksCommand());
  return all;
}

}  // namespace sg::cli
