#include <algorithm>
#include <stdexcept>
#include <string>

#include "store/schema_parts.h"

namespace sg::store {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kSteps = [] {
    std::vector<Migration> all;
    for (auto part : {ListsMigrations, SecurityMigrations, ReportsMigrations, LinkingMigrations}) {
      for (const Migration& m : part()) all.push_back(m);
    }
    std::sort(all.begin(), all.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (size_t i = 1; i < all.size(); ++i) {
      // A programmer error, caught by every test that opens a store.
      if (all[i].version == all[i - 1].version) {
        throw std::logic_error("schema step " + std::to_string(all[i].version) + " is defined twice");
      }
    }
    return all;
  }();
  return kSteps;
}

}  // namespace sg::store
