#include "linking/person_writes.h"

#include <fmt/format.h>

#include "core/time.h"

namespace sg::linking {

Result<store::Statement*> PersonWrites::Prepared(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  SG_ASSIGN_OR_RETURN(auto stmt, conn_.Prepare(sql));
  store::Statement* raw = stmt.get();
  statements_.emplace(sql, std::move(stmt));
  return raw;
}

Status PersonWrites::Exec(const std::string& sql, const std::vector<store::Value>& params) {
  SG_ASSIGN_OR_RETURN(store::Statement * s, Prepared(sql));
  SG_RETURN_IF_ERROR(s->Bind(params));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
  }
}

Result<store::Statement*> PersonWrites::Row(const std::string& sql, const std::vector<store::Value>& params,
                                            bool* found) {
  SG_ASSIGN_OR_RETURN(store::Statement * s, Prepared(sql));
  SG_RETURN_IF_ERROR(s->Bind(params));
  SG_ASSIGN_OR_RETURN(*found, s->Step());
  return s;
}

Result<int64_t> PersonWrites::NextId(const std::string& table) {
  bool found = false;
  SG_ASSIGN_OR_RETURN(store::Statement * s, Row(fmt::format("SELECT coalesce(max(id), 0) + 1 FROM {}", table), {}, &found));
  if (!found) return Internal("max(id) returned no row");
  return s->Int(0);
}

Result<int64_t> PersonWrites::NewPerson(int64_t size) {
  bool found = false;  // one statement: id and row in one round trip
  SG_ASSIGN_OR_RETURN(store::Statement * s, Row("INSERT INTO persons (id, created_at, size)"
                                                " SELECT coalesce(max(id), 0) + 1, ?, ? FROM persons RETURNING id",
                                                {NowUtc(), size}, &found));
  if (!found) return Internal("INSERT ... RETURNING id returned no row");
  const int64_t id = s->Int(0);
  SG_ASSIGN_OR_RETURN(found, s->Step());  // finish the statement
  return id;
}

Status PersonWrites::AddSize(int64_t person, int64_t n) {
  return Exec("UPDATE persons SET size = size + ? WHERE id = ?", {n, person});
}

Result<bool> PersonWrites::Conflicts(int64_t a, int64_t b) {
  bool found = false;
  SG_RETURN_IF_ERROR(Row("SELECT 1 FROM person_split_tags x JOIN person_split_tags y"
                         " ON y.decision_id = x.decision_id AND y.side <> x.side"
                         " WHERE x.person_id = ? AND y.person_id = ? LIMIT 1",
                         {a, b}, &found)
                         .status());
  return found;
}

Result<int64_t> PersonWrites::Live(int64_t id) {
  for (int hops = 0; hops < 1000; ++hops) {
    bool found = false;
    SG_ASSIGN_OR_RETURN(store::Statement * s, Row("SELECT merged_into FROM persons WHERE id = ?", {id}, &found));
    if (!found) return NotFound(fmt::format("no person {}", id));
    if (s->IsNull(0)) return id;
    id = s->Int(0);
  }
  return DataLoss(fmt::format("person {}: merged_into forms a loop", id));
}

Result<int64_t> PersonWrites::Merge(int64_t a, int64_t b, bool forced) {
  if (a == b) return a;
  auto size_of = [&](int64_t id) -> Result<int64_t> {
    bool found = false;
    SG_ASSIGN_OR_RETURN(store::Statement * s, Row("SELECT size FROM persons WHERE id = ?", {id}, &found));
    if (!found) return NotFound(fmt::format("no person {}", id));
    return s->Int(0);
  };
  SG_ASSIGN_OR_RETURN(int64_t size_a, size_of(a));
  SG_ASSIGN_OR_RETURN(int64_t size_b, size_of(b));
  int64_t big = a, small = b;
  if (size_b > size_a || (size_b == size_a && b < a)) std::swap(big, small);
  // Re-point the smaller person's rows: a cost in its size only.
  SG_RETURN_IF_ERROR(Exec("UPDATE report_persons SET person_id = ? WHERE person_id = ?", {big, small}));
  SG_RETURN_IF_ERROR(Exec("DELETE FROM person_identifiers WHERE person_id = ? AND EXISTS (SELECT 1 FROM"
                          " person_identifiers b WHERE b.person_id = ? AND b.kind = person_identifiers.kind"
                          " AND b.value = person_identifiers.value)",
                          {small, big}));
  SG_RETURN_IF_ERROR(Exec("UPDATE person_identifiers SET person_id = ? WHERE person_id = ?", {big, small}));
  SG_RETURN_IF_ERROR(Exec("INSERT INTO person_split_tags (person_id, decision_id, side) SELECT ?, decision_id, side"
                          " FROM person_split_tags WHERE person_id = ? ON CONFLICT DO NOTHING",
                          {big, small}));
  SG_RETURN_IF_ERROR(Exec("DELETE FROM person_split_tags WHERE person_id = ?", {small}));
  SG_RETURN_IF_ERROR(Exec("UPDATE link_candidates SET person_a = ? WHERE person_a = ?", {big, small}));
  SG_RETURN_IF_ERROR(Exec("UPDATE link_candidates SET person_b = ? WHERE person_b = ?", {big, small}));
  SG_RETURN_IF_ERROR(Exec("UPDATE persons SET size = size + ? WHERE id = ?", {big == a ? size_b : size_a, big}));
  SG_RETURN_IF_ERROR(Exec("UPDATE persons SET size = 0, merged_into = ? WHERE id = ?", {big, small}));
  if (forced) {
    // An analyst joined what an earlier split separated: that split no
    // longer holds (the later decision wins), here and in rebuilds.
    std::vector<int64_t> undone;
    {
      SG_ASSIGN_OR_RETURN(store::Statement * s, Prepared("SELECT decision_id FROM person_split_tags WHERE person_id = ?"
                                                         " GROUP BY decision_id HAVING count(DISTINCT side) > 1"));
      SG_RETURN_IF_ERROR(s->Bind({big}));
      while (true) {
        SG_ASSIGN_OR_RETURN(bool row, s->Step());
        if (!row) break;
        undone.push_back(s->Int(0));
      }
    }
    for (int64_t d : undone) {
      SG_RETURN_IF_ERROR(Exec("UPDATE link_decisions SET active = 0 WHERE id = ?", {d}));
      SG_RETURN_IF_ERROR(Exec("DELETE FROM person_split_tags WHERE decision_id = ?", {d}));
    }
  }
  return big;
}

}  // namespace sg::linking
