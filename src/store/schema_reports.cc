// Reports, their files and matches (steps 3..).
#include "store/schema_parts.h"

namespace sg::store {

std::vector<Migration> ReportsMigrations() { return {}; }

}  // namespace sg::store
