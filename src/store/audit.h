// The audit log: an append-only record of every creation, read and change of
// a report (and of other sensitive objects): who, when, what, from which
// address. Entries form a hash chain (each holds the SHA-256 of the one
// before), so `safeguard audit verify` can name the first entry that was
// altered or removed.
//
// Append inside the caller's write transaction (Transaction::Begin), so an
// entry is committed exactly when the change it records is; the write lock
// of BeginWrite (both backends) serialises appends, which keeps the chain a
// line. Thread safety: as the Connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/database.h"

namespace sg::store {

struct AuditEntry {
  std::string actor;        // "user:alice", "token:acme-api", "public", "cli:root"
  std::string action;       // "report.create", "report.read", "user.create", ...
  std::string object_type;  // "report", "user", "token", ...
  std::string object_id;    // "42"
  std::string address;      // client IP address, or "" for the command line
  std::string details;      // optional JSON object text, or ""
};

struct StoredAuditEntry {
  int64_t id = 0;
  std::string time;  // RFC 3339 UTC (core/time.h)
  AuditEntry entry;
  std::string prev_hash, hash;  // lowercase hex SHA-256
};

// Appends one entry; returns its id. Must run inside a write transaction.
Result<int64_t> AppendAudit(Connection& conn, const AuditEntry& entry);

// Appends `entries` in a write transaction of their own, for what is
// audited alone (a read, a sign-in): all or none. Through one AuditAppender.
Status AppendAuditEntries(Connection& conn, const std::vector<AuditEntry>& entries);

// Appends many entries inside ONE write transaction, as AppendAudit does
// one: the same ids, times and chain. It reads the chain's head once (at the
// first Append) and keeps it, and prepares its two statements once, so a
// batch of N entries costs N inserts rather than N reads, N inserts and 2N
// statement preparations (the intake server's group commit appends one
// entry per report).
//
// Use it only within the write transaction it was first used in: the head
// it keeps is right only while that transaction holds the write lock.
// Thread safety and ownership: as the Connection, which must outlive it.
class AuditAppender {
 public:
  explicit AuditAppender(Connection& conn) : conn_(conn) {}
  Result<int64_t> Append(const AuditEntry& entry);

 private:
  Connection& conn_;
  std::unique_ptr<Statement> insert_;
  bool have_head_ = false;
  int64_t last_id_ = 0;
  std::string last_hash_;
};

struct AuditVerification {
  int64_t entries = 0;
  // The first entry whose hash or link does not match, or that is missing,
  // if any; and why, starting with "altered", "relinked", "missing" or
  // "out of order" (ReadAuditEntry gives the entry itself).
  std::optional<int64_t> first_bad_id;
  std::string reason;
};
Result<AuditVerification> VerifyAudit(Connection& conn);

// One entry by id, or nullopt if there is none (for naming a bad entry).
Result<std::optional<StoredAuditEntry>> ReadAuditEntry(Connection& conn, int64_t id);

}  // namespace sg::store
