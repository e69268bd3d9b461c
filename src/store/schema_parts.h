// The schema in parts, one file per area, each a list of numbered steps.
// Versions are global and unique: a new step takes the next free number
// whichever part it is in (AllMigrations checks, at start, that no number
// is used twice and sorts them). Never edit a released step: add one.
//
//   1      schema.cc           store meta, hash lists
//   2..    schema_security.cc  users, tokens, sessions, audit log
//   3, 8   schema_reports.cc   reports, their files and matches
//   4, 7   schema_linking.cc   persons, identifiers, link evidence, candidates, decisions, bundles
//   6      schema_chat.cc      chat logs attached to reports and cases
#pragma once

#include <vector>

#include "store/migrations.h"

namespace sg::store {

std::vector<Migration> ListsMigrations();
std::vector<Migration> SecurityMigrations();
std::vector<Migration> ReportsMigrations();
std::vector<Migration> LinkingMigrations();
std::vector<Migration> ChatMigrations();

}  // namespace sg::store
