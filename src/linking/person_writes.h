// PersonWrites: the row-level operations on persons that intake linking
// (resolver.h) and analysts' decisions (decisions.h) share: create a
// person, merge two persons by re-pointing the smaller, check split tags.
// Internal to the linking module.
//
// Each SQL statement is prepared once per PersonWrites (a batch of intake,
// one decision), so linking a report costs only indexed lookups and writes.
// Must be used inside the caller's write transaction. Thread safety: as
// the Connection; holds a reference to it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "linking/identifiers.h"
#include "store/database.h"

namespace sg::linking {

class PersonWrites {
 public:
  explicit PersonWrites(store::Connection& conn) : conn_(conn) {}
  store::Connection& connection() const { return conn_; }

  // A statement prepared once per PersonWrites, bound to `params` and run
  // to completion (Exec) or to its first row (Row: false if none).
  Status Exec(const std::string& sql, const std::vector<store::Value>& params);
  Result<store::Statement*> Row(const std::string& sql, const std::vector<store::Value>& params, bool* found);
  // The next free id of `table` (max + 1): writers hold the write lock.
  Result<int64_t> NextId(const std::string& table);

  // A new person of `size` (its mentions plus strong identifiers).
  Result<int64_t> NewPerson(int64_t size = 0);
  Status AddSize(int64_t person, int64_t n);
  // True if the two persons hold different sides of one split decision.
  Result<bool> Conflicts(int64_t a, int64_t b);
  // Merges a and b (the smaller into the larger; equal sizes: into the
  // older id); returns the survivor. `forced` (an analyst's merge):
  // split decisions whose two sides meet are deactivated.
  Result<int64_t> Merge(int64_t a, int64_t b, bool forced);
  // The live person an id names now (following merged_into); kNotFound.
  Result<int64_t> Live(int64_t id);

 private:
  Result<store::Statement*> Prepared(const std::string& sql);

  store::Connection& conn_;
  std::map<std::string, std::unique_ptr<store::Statement>> statements_;
};

}  // namespace sg::linking
