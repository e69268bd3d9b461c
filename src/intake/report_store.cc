#include "intake/report_store.h"

#include <algorithm>
#include <span>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.h"
#include "hashing/crypto_hash.h"
#include "hashing/hash256.h"
#include "intake/report_parser.h"
#include "linking/report_input.h"
#include "linking/resolver.h"
#include "store/audit.h"

namespace sg::intake {
namespace {

using store::Value;

// One request after matching, ready to be written.
struct Prepared {
  boost::json::object json; // canonical JSON (what linking reads, as a rebuild does)
  std::string body;         // canonical JSON text
  std::string body_sha256;  // of `body`
  std::vector<std::pair<int, matching::Match>> matches;  // (file index, match)
  std::string priority;
};

std::string Sha256Hex(std::string_view text) {
  return hashing::DigestBytes(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())).sha256;
}

Status CheckRequest(const IngestRequest& r) {
  if (r.channel != kChannelApi && r.channel != kChannelPublicForm && r.channel != kChannelImport) {
    return InvalidArgument(fmt::format("unknown report channel '{}' (api, public_form or import)", r.channel));
  }
  if (r.owner.empty()) return InvalidArgument("a report needs an owner principal");
  if (r.idempotency_key.size() > kMaxIdempotencyKeyBytes) {
    return InvalidArgument(fmt::format("Idempotency-Key: {} bytes; at most {} allowed", r.idempotency_key.size(),
                                       kMaxIdempotencyKeyBytes));
  }
  for (char c : r.idempotency_key) {
    if (c < 0x20 || c > 0x7e) return InvalidArgument("Idempotency-Key: only printable ASCII is allowed");
  }
  return Status::Ok();
}

// Looks every hash of every file up; no quality gating (see the header).
Result<std::vector<std::pair<int, matching::Match>>> MatchFiles(matching::Matcher& matcher, const Report& report) {
  std::vector<std::pair<int, matching::Match>> out;
  matching::MatchOptions options;  // radius 31
  for (size_t i = 0; i < report.files.size(); ++i) {
    const File& f = report.files[i];
    matching::MatchQuery q;
    if (f.md5 || f.sha1 || f.sha256) {
      q.crypto = hashing::CryptoDigests{f.md5.value_or(""), f.sha1.value_or(""), f.sha256.value_or("")};
    }
    if (f.pdq) q.pdq = hashing::Hash256::FromHex(*f.pdq);  // validated at parse time
    SG_ASSIGN_OR_RETURN(matching::MatchResult r, matcher.Lookup(q, options));
    for (matching::Match& m : r.matches) out.emplace_back(static_cast<int>(i), std::move(m));
  }
  return out;
}

Value OptionalText(const std::optional<std::string>& s) { return store::Nullable(s); }

std::optional<std::string> ClassificationText(const File& f) {
  if (!f.industry_classification) return std::nullopt;
  return std::string(IndustryClassificationName(*f.industry_classification));
}

// Reads the rows of `q` (already bound) into report objects, keyed by id.
struct ReportRow {
  int64_t id;
  std::string received_at, channel, priority, body;
};

Result<boost::json::object> AssembleReport(const store::Connection& conn, const ReportRow& row,
                                           boost::json::array matches) {
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(row.body, ec);
  if (ec || !body.is_object()) {
    return DataLoss(fmt::format("{}: report {}: the stored body is not a JSON object", conn.Describe(), row.id));
  }
  boost::json::object out;
  out["id"] = row.id;
  out["received_at"] = row.received_at;
  out["channel"] = row.channel;
  out["priority"] = row.priority;
  for (auto& kv : body.as_object()) out[kv.key()] = std::move(kv.value());
  out["matches"] = std::move(matches);
  return out;
}

boost::json::object MatchRowToJson(const store::Statement& q, int first_col) {
  boost::json::object m;
  m["file_index"] = q.Int(first_col);
  m["list"] = q.Text(first_col + 1);
  m["kind"] = q.Text(first_col + 2);
  m["hash"] = q.Text(first_col + 3);
  m["distance"] = q.Int(first_col + 4);
  auto text_or_null = [&](int col) -> boost::json::value {
    if (q.IsNull(col)) return nullptr;
    return boost::json::value(q.Text(col));
  };
  m["category"] = text_or_null(first_col + 5);
  m["series"] = text_or_null(first_col + 6);
  return m;
}

constexpr const char* kReportColumns = "id, received_at, channel, priority, body";
constexpr const char* kMatchColumns = "report_id, file_index, list, kind, hash, distance, category, series";

}  // namespace

std::string_view ReportPriority(const Report& report, size_t matches) {
  if (report.immediate_danger.value_or(false)) return "top";
  if (matches > 0 &&
      (report.incident_type == IncidentType::kCsam || report.incident_type == IncidentType::kOnlineEnticement)) {
    return "high";
  }
  return "normal";
}

Result<std::vector<Result<IngestOutcome>>> ReportStore::IngestBatch(std::vector<IngestRequest>& requests) {
  std::vector<Result<IngestOutcome>> results;
  results.reserve(requests.size());
  // Outside the transaction: checks, canonical bodies and matching, so the
  // write lock is held only for the writes.
  std::vector<std::optional<Prepared>> prepared(requests.size());
  if (matcher_ != nullptr) SG_RETURN_IF_ERROR(matcher_->Refresh());
  for (size_t i = 0; i < requests.size(); ++i) {
    Status ok = CheckRequest(requests[i]);
    if (!ok.ok()) {
      results.emplace_back(ok);
      continue;
    }
    results.emplace_back(IngestOutcome{});
    Prepared p;
    p.json = ReportToJson(requests[i].report);
    p.body = boost::json::serialize(p.json);
    p.body_sha256 = Sha256Hex(p.body);
    if (matcher_ != nullptr) {
      SG_ASSIGN_OR_RETURN(p.matches, MatchFiles(*matcher_, requests[i].report));
    }
    p.priority = std::string(ReportPriority(requests[i].report, p.matches.size()));
    prepared[i] = std::move(p);
  }

  const std::string now = NowUtc();
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_ASSIGN_OR_RETURN(auto find_key, conn_.Prepare(
      "SELECT request_sha256, report_id FROM idempotency_keys WHERE owner = ? AND key = ?"));
  SG_ASSIGN_OR_RETURN(auto count_matches, conn_.Prepare("SELECT count(*) FROM report_matches WHERE report_id = ?"));
  SG_ASSIGN_OR_RETURN(auto insert_report, conn_.Prepare(
      "INSERT INTO reports (received_at, channel, owner, source, incident_type, incident_time, immediate_danger,"
      " priority, body, body_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  SG_ASSIGN_OR_RETURN(auto insert_file, conn_.Prepare(
      "INSERT INTO report_files (report_id, file_index, md5, sha1, sha256, pdq, industry_classification)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)"));
  SG_ASSIGN_OR_RETURN(auto insert_match, conn_.Prepare(
      "INSERT INTO report_matches (report_id, match_index, file_index, list, kind, hash, distance, category, series)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  SG_ASSIGN_OR_RETURN(auto insert_key, conn_.Prepare(
      "INSERT INTO idempotency_keys (owner, key, request_sha256, report_id, created_at) VALUES (?, ?, ?, ?, ?)"));
  // Linking runs in this transaction: a committed report is always linked.
  std::optional<linking::Linker> linker;
  linker.emplace(conn_);
  auto run = [](store::Statement& s, const std::vector<Value>& params) -> Status {
    SG_RETURN_IF_ERROR(s.Bind(params));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
    }
    return Status::Ok();
  };

  for (size_t i = 0; i < requests.size(); ++i) {
    if (!prepared[i]) continue;  // refused before the transaction
    const IngestRequest& req = requests[i];
    const Prepared& p = *prepared[i];
    // The key is checked inside the write transaction: a concurrent writer
    // (another process) has either committed its report or not started.
    if (!req.idempotency_key.empty()) {
      SG_RETURN_IF_ERROR(find_key->Bind({req.owner, req.idempotency_key}));
      SG_ASSIGN_OR_RETURN(bool found, find_key->Step());
      if (found) {
        const std::string sha = find_key->Text(0);
        const int64_t id = find_key->Int(1);
        while (true) {  // finish the statement before the next one runs
          SG_ASSIGN_OR_RETURN(bool more, find_key->Step());
          if (!more) break;
        }
        if (sha != p.body_sha256) {
          results[i] = Status(StatusCode::kAlreadyExists,
                              fmt::format("Idempotency-Key '{}' was used for a different report (id {})",
                                          req.idempotency_key, id));
          continue;
        }
        SG_RETURN_IF_ERROR(count_matches->Bind({id}));
        SG_ASSIGN_OR_RETURN(bool row, count_matches->Step());
        const int64_t n = row ? count_matches->Int(0) : 0;
        SG_ASSIGN_OR_RETURN(row, count_matches->Step());
        results[i] = IngestOutcome{id, false, static_cast<size_t>(n)};
        continue;
      }
    }
    const Report& r = req.report;
    std::optional<std::string> incident_time;
    if (r.incident_time) incident_time = FormatUtc(*r.incident_time);
    SG_RETURN_IF_ERROR(insert_report->Bind({
        now, req.channel, req.owner, std::string(SourceName(r.source)), std::string(IncidentTypeName(r.incident_type)),
        OptionalText(incident_time), int64_t{r.immediate_danger.value_or(false) ? 1 : 0}, p.priority, p.body,
        p.body_sha256}));
    SG_ASSIGN_OR_RETURN(bool row, insert_report->Step());
    if (!row) return Internal("INSERT ... RETURNING id returned no row");
    const int64_t id = insert_report->Int(0);
    SG_ASSIGN_OR_RETURN(row, insert_report->Step());
    for (size_t f = 0; f < r.files.size(); ++f) {
      const File& file = r.files[f];
      SG_RETURN_IF_ERROR(run(*insert_file, {id, static_cast<int64_t>(f), OptionalText(file.md5),
                                            OptionalText(file.sha1), OptionalText(file.sha256),
                                            OptionalText(file.pdq), OptionalText(ClassificationText(file))}));
    }
    for (size_t m = 0; m < p.matches.size(); ++m) {
      const auto& [file_index, match] = p.matches[m];
      SG_RETURN_IF_ERROR(run(*insert_match, {id, static_cast<int64_t>(m), int64_t{file_index}, match.list,
                                             match.kind, match.hash, int64_t{match.distance},
                                             OptionalText(match.category), OptionalText(match.series)}));
    }
    {
      SG_ASSIGN_OR_RETURN(linking::ReportInput input, linking::ReportInputFromJson(id, p.json, now));
      for (const auto& [file_index, match] : p.matches) {
        if (std::find(input.match_hashes.begin(), input.match_hashes.end(), match.hash) == input.match_hashes.end()) {
          input.match_hashes.push_back(match.hash);
        }
      }
      SG_RETURN_IF_ERROR(linker->OnReport(input));
    }
    if (!req.idempotency_key.empty()) {
      SG_RETURN_IF_ERROR(run(*insert_key, {req.owner, req.idempotency_key, p.body_sha256, id, now}));
    }
    store::AuditEntry audit;
    audit.actor = req.actor;
    audit.action = "report.create";
    audit.object_type = "report";
    audit.object_id = std::to_string(id);
    audit.address = req.address;
    audit.details = boost::json::serialize(boost::json::object{
        {"channel", req.channel}, {"owner", req.owner}, {"matches", p.matches.size()}});
    SG_RETURN_IF_ERROR(store::AppendAudit(conn_, audit).status());
    results[i] = IngestOutcome{id, true, p.matches.size()};
  }
  find_key.reset();
  count_matches.reset();
  insert_report.reset();
  insert_file.reset();
  insert_match.reset();
  insert_key.reset();
  linker.reset();
  SG_RETURN_IF_ERROR(tx.Commit());
  return results;
}

Result<IngestOutcome> ReportStore::Ingest(IngestRequest request) {
  std::vector<IngestRequest> one;
  one.push_back(std::move(request));
  SG_ASSIGN_OR_RETURN(auto results, IngestBatch(one));
  return std::move(results[0]);
}

Result<std::string> ReportStore::OwnerOf(int64_t id) {
  SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare("SELECT owner FROM reports WHERE id = ?"));
  SG_RETURN_IF_ERROR(q->Bind({id}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return NotFound(fmt::format("no report {}", id));
  return q->Text(0);
}

Result<boost::json::object> ReportStore::Get(int64_t id) {
  ReportRow row;
  {
    SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format("SELECT {} FROM reports WHERE id = ?", kReportColumns)));
    SG_RETURN_IF_ERROR(q->Bind({id}));
    SG_ASSIGN_OR_RETURN(bool found, q->Step());
    if (!found) return NotFound(fmt::format("no report {}", id));
    row = {q->Int(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4)};
  }
  boost::json::array matches;
  SG_ASSIGN_OR_RETURN(auto m, conn_.Prepare(fmt::format(
      "SELECT {} FROM report_matches WHERE report_id = ? ORDER BY match_index", kMatchColumns)));
  SG_RETURN_IF_ERROR(m->Bind({id}));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool more, m->Step());
    if (!more) break;
    matches.push_back(MatchRowToJson(*m, 1));
  }
  return AssembleReport(conn_, row, std::move(matches));
}

Result<boost::json::array> ReportStore::List(int64_t after, int limit, const std::optional<std::string>& owner) {
  if (limit < 1 || limit > kMaxListLimit) {
    return InvalidArgument(fmt::format("limit must be 1 to {}, not {}", kMaxListLimit, limit));
  }
  std::vector<ReportRow> rows;
  {
    std::vector<Value> params = {after};
    if (owner) params.push_back(*owner);
    params.push_back(int64_t{limit});
    SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format(
        "SELECT {} FROM reports WHERE id > ? {} ORDER BY id LIMIT ?", kReportColumns, owner ? "AND owner = ?" : "")));
    SG_RETURN_IF_ERROR(q->Bind(params));
    while (true) {
      SG_ASSIGN_OR_RETURN(bool more, q->Step());
      if (!more) break;
      rows.push_back({q->Int(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4)});
    }
  }
  boost::json::array out;
  if (rows.empty()) return out;
  // The matches of the whole page in one query: ids in (after, last].
  std::vector<boost::json::array> matches(rows.size());
  {
    std::vector<Value> params = {after, rows.back().id};
    if (owner) params.push_back(*owner);
    SG_ASSIGN_OR_RETURN(auto q, conn_.Prepare(fmt::format(
        "SELECT {} FROM report_matches WHERE report_id > ? AND report_id <= ? {}"
        " ORDER BY report_id, match_index",
        kMatchColumns, owner ? "AND report_id IN (SELECT id FROM reports WHERE owner = ?)" : "")));
    SG_RETURN_IF_ERROR(q->Bind(params));
    size_t at = 0;
    while (true) {
      SG_ASSIGN_OR_RETURN(bool more, q->Step());
      if (!more) break;
      const int64_t id = q->Int(0);
      while (at < rows.size() && rows[at].id < id) ++at;
      if (at < rows.size() && rows[at].id == id) matches[at].push_back(MatchRowToJson(*q, 1));
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    SG_ASSIGN_OR_RETURN(boost::json::object o, AssembleReport(conn_, rows[i], std::move(matches[i])));
    out.push_back(std::move(o));
  }
  return out;
}

Status ReportStore::AuditRead(const std::vector<int64_t>& ids, const std::string& actor, const std::string& address) {
  if (ids.empty()) return Status::Ok();
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  for (int64_t id : ids) {
    store::AuditEntry audit;
    audit.actor = actor;
    audit.action = "report.read";
    audit.object_type = "report";
    audit.object_id = std::to_string(id);
    audit.address = address;
    SG_RETURN_IF_ERROR(store::AppendAudit(conn_, audit).status());
  }
  return tx.Commit();
}

}  // namespace sg::intake
