#include "intake/report_store.h"

#include <algorithm>
#include <map>
#include <span>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "core/time.h"
#include "hashing/hash256.h"
#include "chat/chat_store.h"
#include "intake/report_chat.h"
#include "intake/report_parser.h"
#include "security/crypto.h"
#include "linking/report_input.h"
#include "linking/resolver.h"
#include "store/audit.h"
#include "store/row_inserter.h"

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
  // The report's chat[] and, when an analyzer is set, its analysis.
  std::optional<chat::Conversation> chat;
  std::optional<std::string> chat_analysis;
};

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

// The match queries of a report's files, in file order; no quality gating
// (see the header).
std::vector<matching::MatchQuery> FileQueries(const Report& report) {
  std::vector<matching::MatchQuery> out;
  for (const File& f : report.files) {
    matching::MatchQuery q;
    if (f.md5 || f.sha1 || f.sha256) {
      q.crypto = hashing::CryptoDigests{f.md5.value_or(""), f.sha1.value_or(""), f.sha256.value_or("")};
    }
    if (f.pdq) q.pdq = hashing::Hash256::FromHex(*f.pdq);  // validated at parse time
    out.push_back(std::move(q));
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

void PrepareCanonicalBody(IngestRequest& request) {
  request.canonical_body = boost::json::serialize(ReportToJson(request.report));
  request.canonical_sha256 = security::Sha256Hex(request.canonical_body);
}

namespace {

// The stored text of a report's chat analysis.
Result<std::string> ChatAnalysisText(const chat::Conversation& chat, const chat::Analyzer& analyzer) {
  SG_ASSIGN_OR_RETURN(auto analysis, chat::AnalyzeConversations({chat}, analyzer));
  return JsonText(analysis);
}

}  // namespace

void PrepareChatAnalysis(IngestRequest& request, const chat::Analyzer& analyzer) {
  if (request.report.chat.empty()) return;
  auto text = ChatAnalysisText(ReportChatConversation(request.report), analyzer);
  if (text.ok()) request.chat_analysis = std::move(*text);
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
    if (requests[i].canonical_body.empty()) PrepareCanonicalBody(requests[i]);
    p.body = std::move(requests[i].canonical_body);
    p.body_sha256 = std::move(requests[i].canonical_sha256);
    // Linking reads the canonical JSON, as `safeguard link` reads stored bodies.
    p.json = ReportToJson(requests[i].report);
    prepared[i] = std::move(p);
  }
  // Matching: every file of the batch in one Matcher call (one query per
  // hash kind, not per file: round trips on PostgreSQL).
  if (matcher_ != nullptr) {
    std::vector<matching::MatchQuery> queries;
    std::vector<std::pair<size_t, int>> file_of;  // (request, file index) of each query
    for (size_t i = 0; i < requests.size(); ++i) {
      if (!prepared[i]) continue;
      std::vector<matching::MatchQuery> files = FileQueries(requests[i].report);
      for (size_t f = 0; f < files.size(); ++f) {
        file_of.emplace_back(i, static_cast<int>(f));
        queries.push_back(std::move(files[f]));
      }
    }
    SG_ASSIGN_OR_RETURN(std::vector<matching::MatchResult> results, matcher_->LookupMany(queries, {}));  // radius 31
    for (size_t q = 0; q < results.size(); ++q) {
      const auto [i, f] = file_of[q];
      for (matching::Match& m : results[q].matches) prepared[i]->matches.emplace_back(f, std::move(m));
    }
  }
  for (size_t i = 0; i < requests.size(); ++i) {
    if (!prepared[i]) continue;
    Prepared& p = *prepared[i];
    p.priority = std::string(ReportPriority(requests[i].report, p.matches.size()));
    if (!requests[i].report.chat.empty()) {
      p.chat = ReportChatConversation(requests[i].report);
      if (requests[i].chat_analysis) {
        p.chat_analysis = std::move(requests[i].chat_analysis);
      } else if (chat_analyzer_ != nullptr) {
        SG_ASSIGN_OR_RETURN(p.chat_analysis, ChatAnalysisText(*p.chat, *chat_analyzer_));
      }
    }
  }

  const std::string now = NowUtc();
  SG_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(conn_));
  SG_ASSIGN_OR_RETURN(auto find_key, conn_.Prepare(
      "SELECT request_sha256, report_id FROM idempotency_keys WHERE owner = ? AND key = ?"));
  SG_ASSIGN_OR_RETURN(auto count_matches, conn_.Prepare("SELECT count(*) FROM report_matches WHERE report_id = ?"));
  SG_ASSIGN_OR_RETURN(auto insert_report, conn_.Prepare(
      "INSERT INTO reports (received_at, channel, owner, source, incident_type, incident_time, immediate_danger,"
      " priority, body, body_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  // The child rows of the batch's reports, as multi-row INSERTs (on
  // PostgreSQL a statement per file would be a round trip per file).
  store::RowInserter files(
      conn_, "INSERT INTO report_files (report_id, file_index, md5, sha1, sha256, pdq, industry_classification)", 7);
  store::RowInserter matches(
      conn_,
      "INSERT INTO report_matches (report_id, match_index, file_index, list, kind, hash, distance, category, series,"
      " report_time)",
      10);
  store::RowInserter keys(conn_, "INSERT INTO idempotency_keys (owner, key, request_sha256, report_id, created_at)", 5);
  // Keys stored by earlier items of this batch (not yet in the table): a
  // later item with the same key sees them, as a request after a committed
  // one would.
  struct BatchKey {
    std::string sha256;
    int64_t id;
    size_t matches;
  };
  std::map<std::pair<std::string, std::string>, BatchKey> batch_keys;
  // One appender for the batch: the chain's head is read once, not per report.
  store::AuditAppender audit_log(conn_);
  // Chat logs of the batch's new reports, stored after the loop (their
  // audit entries go through audit_log too).
  std::vector<std::pair<int64_t, size_t>> chats;  // (report id, request index)
  // Linking runs in this transaction: a committed report is always linked.
  std::optional<linking::Linker> linker;
  linker.emplace(conn_);

  for (size_t i = 0; i < requests.size(); ++i) {
    if (!prepared[i]) continue;  // refused before the transaction
    const IngestRequest& req = requests[i];
    const Prepared& p = *prepared[i];
    // The key is checked inside the write transaction: a concurrent writer
    // (another process) has either committed its report or not started.
    if (!req.idempotency_key.empty()) {
      bool found = false;
      std::string sha;
      int64_t id = 0;
      std::optional<size_t> known_matches;
      if (auto it = batch_keys.find({req.owner, req.idempotency_key}); it != batch_keys.end()) {
        found = true;
        sha = it->second.sha256;
        id = it->second.id;
        known_matches = it->second.matches;
      } else {
        SG_RETURN_IF_ERROR(find_key->Bind({req.owner, req.idempotency_key}));
        SG_ASSIGN_OR_RETURN(found, find_key->Step());
        if (found) {
          sha = find_key->Text(0);
          id = find_key->Int(1);
          while (true) {  // finish the statement before the next one runs
            SG_ASSIGN_OR_RETURN(bool more, find_key->Step());
            if (!more) break;
          }
        }
      }
      if (found) {
        if (sha != p.body_sha256) {
          results[i] = Status(StatusCode::kAlreadyExists,
                              fmt::format("Idempotency-Key '{}' was used for a different report (id {})",
                                          req.idempotency_key, id));
          continue;
        }
        if (known_matches) {
          results[i] = IngestOutcome{id, false, *known_matches};
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
      SG_RETURN_IF_ERROR(files.Add({id, static_cast<int64_t>(f), OptionalText(file.md5), OptionalText(file.sha1),
                                    OptionalText(file.sha256), OptionalText(file.pdq),
                                    OptionalText(ClassificationText(file))}));
    }
    for (size_t m = 0; m < p.matches.size(); ++m) {
      const auto& [file_index, match] = p.matches[m];
      SG_RETURN_IF_ERROR(matches.Add({id, static_cast<int64_t>(m), int64_t{file_index}, match.list, match.kind,
                                      match.hash, int64_t{match.distance}, OptionalText(match.category),
                                      OptionalText(match.series), incident_time.value_or(now)}));
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
      SG_RETURN_IF_ERROR(keys.Add({req.owner, req.idempotency_key, p.body_sha256, id, now}));
      batch_keys[{req.owner, req.idempotency_key}] = BatchKey{p.body_sha256, id, p.matches.size()};
    }
    SG_RETURN_IF_ERROR(audit_log
                           .Append({req.actor, "report.create", "report", std::to_string(id), req.address,
                                    boost::json::serialize(boost::json::object{{"channel", req.channel},
                                                                               {"owner", req.owner},
                                                                               {"matches", p.matches.size()}})})
                           .status());
    if (p.chat) chats.emplace_back(id, i);
    results[i] = IngestOutcome{id, true, p.matches.size()};
  }
  find_key.reset();
  count_matches.reset();
  insert_report.reset();
  linker.reset();
  SG_RETURN_IF_ERROR(files.Flush());
  SG_RETURN_IF_ERROR(matches.Flush());
  SG_RETURN_IF_ERROR(keys.Flush());
  chat::ChatStore chat_logs(conn_);
  for (const auto& [id, i] : chats) {
    chat::NewChatLog log;
    log.report_id = id;
    log.source_name = fmt::format("report {} chat[]", id);
    log.format = "report";
    log.actor = requests[i].actor;
    log.address = requests[i].address;
    log.analysis = prepared[i]->chat_analysis;
    SG_RETURN_IF_ERROR(chat_logs.AddLog(log, {*prepared[i]->chat}, &audit_log).status());
  }
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
  std::vector<store::AuditEntry> entries;
  for (int64_t id : ids) entries.push_back({actor, "report.read", "report", std::to_string(id), address, ""});
  return store::AppendAuditEntries(conn_, entries);
}

}  // namespace sg::intake
