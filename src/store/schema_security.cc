// Users, API tokens, sessions and the audit log (steps 2..).
#include "store/schema_parts.h"

namespace sg::store {

std::vector<Migration> SecurityMigrations() { return {}; }

}  // namespace sg::store
