// The hash-chained audit log (audit.h).
//
// Each entry's hash is SHA-256 over a canonical encoding of the entry and
// the hash before it:
//
//   "sg-audit-v1" then, for each of prev_hash, id (decimal), time, actor,
//   action, object_type, object_id, address, details:
//   its length in bytes as 8 bytes big-endian, then its bytes.
//
// Length prefixes make the encoding unambiguous: no two different entries
// (say actor "ab" + action "c" and actor "a" + action "bc") encode to the
// same bytes. The first entry's prev_hash is 64 zeros. Changing this
// encoding would make every stored chain fail verification: add a new
// version tag instead.
#include "store/audit.h"

#include <openssl/evp.h>

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "core/hex.h"
#include "core/time.h"

namespace sg::store {
namespace {

constexpr std::string_view kDomain = "sg-audit-v1";
const std::string kZeroHash(64, '0');

void AppendField(std::string& out, std::string_view field) {
  const uint64_t n = field.size();
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(field);
}

Result<std::string> ChainHash(const StoredAuditEntry& e) {
  std::string msg(kDomain);
  const std::string id = std::to_string(e.id);
  for (std::string_view f : {std::string_view(e.prev_hash), std::string_view(id), std::string_view(e.time),
                             std::string_view(e.entry.actor), std::string_view(e.entry.action),
                             std::string_view(e.entry.object_type), std::string_view(e.entry.object_id),
                             std::string_view(e.entry.address), std::string_view(e.entry.details)}) {
    AppendField(msg, f);
  }
  std::array<uint8_t, 32> digest{};
  unsigned int len = 0;
  if (EVP_Digest(msg.data(), msg.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    return Internal("audit log: SHA-256 failed");
  }
  return HexEncode(digest);
}

constexpr const char* kColumns =
    "id, time, actor, action, object_type, object_id, address, details, prev_hash, hash";

StoredAuditEntry ReadRow(const Statement& q) {
  StoredAuditEntry e;
  e.id = q.Int(0);
  e.time = q.Text(1);
  e.entry.actor = q.Text(2);
  e.entry.action = q.Text(3);
  e.entry.object_type = q.Text(4);
  e.entry.object_id = q.Text(5);
  e.entry.address = q.Text(6);
  e.entry.details = q.Text(7);
  e.prev_hash = q.Text(8);
  e.hash = q.Text(9);
  return e;
}

}  // namespace

Result<int64_t> AppendAudit(Connection& conn, const AuditEntry& entry) {
  AuditAppender appender(conn);
  return appender.Append(entry);
}

Status AppendAuditEntries(Connection& conn, const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  SG_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(conn));
  AuditAppender appender(conn);
  for (const AuditEntry& e : entries) SG_RETURN_IF_ERROR(appender.Append(e).status());
  return tx.Commit();
}

Result<int64_t> AuditAppender::Append(const AuditEntry& entry) {
  if (entry.actor.empty() || entry.action.empty()) {
    return InvalidArgument("audit entry needs an actor and an action");
  }
  // The caller's write transaction holds the write lock (BeginWrite on both
  // backends), so nobody appends between this read and the insert, nor
  // between two appends of this appender. Were it called outside one, a
  // racing append would hit the primary key and fail: the chain can never
  // fork.
  if (!have_head_) {
    SG_ASSIGN_OR_RETURN(auto last, conn_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
    SG_RETURN_IF_ERROR(last->Bind({}));
    SG_ASSIGN_OR_RETURN(bool has_last, last->Step());
    if (has_last) {
      last_id_ = last->Int(0);
      last_hash_ = last->Text(1);
      SG_ASSIGN_OR_RETURN(bool more, last->Step());  // finish the statement
      (void)more;
    } else {
      last_id_ = 0;
      last_hash_ = kZeroHash;
    }
    have_head_ = true;
  }
  if (!insert_) {
    SG_ASSIGN_OR_RETURN(insert_, conn_.Prepare(fmt::format(
        "INSERT INTO audit_log ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns)));
  }
  StoredAuditEntry e;
  e.entry = entry;
  e.time = NowUtc();
  e.id = last_id_ + 1;
  e.prev_hash = last_hash_;
  SG_ASSIGN_OR_RETURN(e.hash, ChainHash(e));
  SG_RETURN_IF_ERROR(insert_->Bind({e.id, e.time, e.entry.actor, e.entry.action, e.entry.object_type,
                                    e.entry.object_id, e.entry.address, e.entry.details, e.prev_hash, e.hash}));
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, insert_->Step());
    if (!row) break;
  }
  // Only once the row is in: a failed insert leaves the head as it was.
  last_id_ = e.id;
  last_hash_ = std::move(e.hash);
  return e.id;
}

Result<std::optional<StoredAuditEntry>> ReadAuditEntry(Connection& conn, int64_t id) {
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(fmt::format("SELECT {} FROM audit_log WHERE id = ?", kColumns)));
  SG_RETURN_IF_ERROR(q->Bind({id}));
  SG_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<StoredAuditEntry>();
  std::optional<StoredAuditEntry> e = ReadRow(*q);
  SG_ASSIGN_OR_RETURN(bool more, q->Step());
  (void)more;
  return e;
}

Result<AuditVerification> VerifyAudit(Connection& conn) {
  // Rows are streamed (both backends), so a long log is never held whole.
  SG_ASSIGN_OR_RETURN(auto q, conn.Prepare(fmt::format("SELECT {} FROM audit_log ORDER BY id", kColumns)));
  SG_RETURN_IF_ERROR(q->Bind({}));
  AuditVerification v;
  int64_t expected_id = 1;
  std::string prev_hash = kZeroHash;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    const StoredAuditEntry e = ReadRow(*q);
    ++v.entries;
    if (v.first_bad_id) continue;  // keep counting
    if (e.id != expected_id) {
      v.first_bad_id = expected_id;
      v.reason = e.id > expected_id
                     ? fmt::format("missing: the ids jump from {} to {} (deleted)", expected_id - 1, e.id)
                     : fmt::format("out of order: entry {} follows entry {}", e.id, expected_id - 1);
      continue;
    }
    SG_ASSIGN_OR_RETURN(std::string recomputed, ChainHash(e));
    if (recomputed != e.hash) {
      v.first_bad_id = e.id;
      v.reason = "altered: its stored hash does not match its content";
    } else if (e.prev_hash != prev_hash) {
      v.first_bad_id = e.id;
      v.reason = e.id == 1 ? "altered: the first entry's previous hash is not zero"
                           : fmt::format("relinked: its previous hash is not the hash of entry {} "
                                         "(one of the two was altered and rehashed)",
                                         e.id - 1);
    }
    prev_hash = e.hash;
    ++expected_id;
  }
  return v;
}

}  // namespace sg::store
