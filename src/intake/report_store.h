// ReportStore: durable storage of validated reports (tables reports,
// report_files, report_matches, idempotency_keys; store/schema_reports.cc),
// for the intake server (POST/GET /api/v1/reports) and `safeguard import`.
//
// Ingest, as a group commit. IngestBatch takes many reports (the server
// gathers concurrent requests; import takes 500 lines at a time) and writes
// them all in ONE write transaction, so a durable store (SQLite
// synchronous=FULL, PostgreSQL synchronous_commit) pays one flush for the
// whole batch. A report is committed when IngestBatch returns it, and not
// before: the caller acknowledges (HTTP 201) only then.
//   - Matching first, outside the transaction: every file's md5, sha1,
//     sha256 and pdq is looked up in the enabled lists (matching::Matcher),
//     and the matches are stored with the report. A PDQ hash supplied by a
//     platform comes without a quality, so no quality gating is applied;
//     the radius is the field's 31 bits. The matcher is refreshed first, so
//     a list changed by another process is used from the next batch on.
//   - Each item stands alone: one item's error (a reused idempotency key,
//     a bad channel) does not affect the others.
//   - If the transaction itself fails (database error, disk full, lost
//     connection), IngestBatch returns that error: every item failed and
//     nothing of the batch is stored.
//   - Idempotency-Key: (owner, key) names at most one report. The same key
//     with the same canonical body returns the stored id (created = false)
//     and stores nothing; with a different body it is a per-item
//     kAlreadyExists error ("... was used for a different report": HTTP
//     409). Checked inside the write transaction, so two processes racing
//     with one key still store one report; two items of one batch with the
//     same key behave as two requests in sequence.
//   - Every created report is linked to persons and bundles
//     (linking::Linker, src/linking/resolver.h) inside the same
//     transaction, from its canonical JSON, as a rebuild would link it.
//   - Every created report appends an audit entry ("report.create", object
//     "report" / id, the request's actor and address) inside the same
//     transaction. A replay appends nothing: nothing was created or read.
//
// Priority, computed at intake and stored:
//   "top"    immediate_danger is true;
//   "high"   incident_type csam or online_enticement and at least one file
//            matched a list;
//   "normal" everything else.
//
// Reads. Get and List return the canonical report JSON with "id",
// "received_at", "channel" and "priority" first and "matches" last
// ([{"file_index", "list", "kind", "hash", "distance", "category",
// "series"}], category and series null when the list entry has none).
// Reads are audited by the caller, which knows who asked (AuditRead).
//
// Thread safety: one thread at a time, as the Connection (and the Matcher,
// which must use the same connection or one of the same thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "chat/analysis.h"
#include "core/result.h"
#include "intake/report.h"
#include "matching/matcher.h"
#include "store/database.h"

namespace sg::intake {

// Channels a report comes in by (reports.channel).
inline constexpr std::string_view kChannelApi = "api";
inline constexpr std::string_view kChannelPublicForm = "public_form";
inline constexpr std::string_view kChannelImport = "import";

// Longest Idempotency-Key accepted (printable ASCII, 1..255 bytes).
inline constexpr size_t kMaxIdempotencyKeyBytes = 255;
// Most reports one List call returns.
inline constexpr int kMaxListLimit = 1000;

struct IngestRequest {
  Report report;
  std::string idempotency_key;  // "" none
  std::string owner;            // the principal: "token:7", "user:3", "public", "cli:import"
  std::string actor;            // for the audit log ("token:acme-api", "cli:alice")
  std::string address;          // client IP address, "" from the command line
  std::string channel;          // kChannelApi, kChannelPublicForm or kChannelImport
  // The canonical JSON text of `report` and its SHA-256 (hex): filled by
  // PrepareCanonicalBody, or by IngestBatch when empty. Callers never set
  // them otherwise.
  std::string canonical_body, canonical_sha256;
  // The analysis of the report's chat[] (AnalyzeConversations' JSON text):
  // filled by PrepareChatAnalysis, or by IngestBatch when empty.
  std::optional<std::string> chat_analysis;
};

// Fills request.canonical_body and canonical_sha256 from request.report (a
// pure function: any thread). The server calls it on its I/O threads, so
// that the one writer thread spends its time writing (IngestBatch skips the
// work for a request that has it).
void PrepareCanonicalBody(IngestRequest& request);
// Fills request.chat_analysis when the report has a chat[], as
// PrepareCanonicalBody does its body: off the writer thread. On an error
// it is left empty (IngestBatch analyses again and reports the error).
void PrepareChatAnalysis(IngestRequest& request, const chat::Analyzer& analyzer);

struct IngestOutcome {
  int64_t id = 0;
  bool created = false;  // false: an idempotent replay of an existing report
  size_t matches = 0;    // matches stored with the report (of the stored one on a replay)
};

class ReportStore {
 public:
  // `matcher` may be null: reports are then stored without matching.
  ReportStore(store::Connection& conn, matching::Matcher* matcher) : conn_(conn), matcher_(matcher) {}

  // With an analyzer, a report's chat[] is analysed before the batch's
  // transaction and stored with it as a chat log (chat/chat_store.h,
  // format "report"); without one the log is stored unanalysed. The
  // analyzer must outlive the store.
  void AnalyzeChatWith(const chat::Analyzer* analyzer) { chat_analyzer_ = analyzer; }

  // One write transaction for the whole batch (see above). The outer error:
  // the transaction failed and nothing is stored. Otherwise one Result per
  // request, in order: its outcome, or why that request was refused
  // (kInvalidArgument: bad owner, channel or key; kAlreadyExists: the key
  // was used for a different report).
  Result<std::vector<Result<IngestOutcome>>> IngestBatch(std::vector<IngestRequest>& requests);
  // A batch of one; the transaction's error and the item's are the same.
  Result<IngestOutcome> Ingest(IngestRequest request);

  // kNotFound if there is no such report; kDataLoss if its stored body is
  // not JSON.
  Result<boost::json::object> Get(int64_t id);
  // The owner principal of a report (to let a reporter token read only its
  // own); kNotFound if there is none.
  Result<std::string> OwnerOf(int64_t id);
  // Reports with id > after, in id order, at most `limit` (1..kMaxListLimit,
  // else kInvalidArgument), only `owner`'s when given. Each as Get returns
  // it.
  Result<boost::json::array> List(int64_t after, int limit, const std::optional<std::string>& owner);

  // Appends one "report.read" audit entry per id, in one transaction.
  Status AuditRead(const std::vector<int64_t>& ids, const std::string& actor, const std::string& address);

 private:
  store::Connection& conn_;
  matching::Matcher* matcher_;
  const chat::Analyzer* chat_analyzer_ = nullptr;
};

// The priority rule above, for a report with `matched_files` files that
// matched a list.
std::string_view ReportPriority(const Report& report, size_t matched_files);

}  // namespace sg::intake
