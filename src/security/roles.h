// Roles, principals and the permission table. Deny by default: a
// permission is allowed only if the table below lists it for the role, and
// anything unknown (a role or permission value out of range) is denied.
//
//   admin     every permission: manages users, tokens, lists, reads the
//             audit log, and may do what an analyst does.
//   analyst   reads, lists and updates every report; creates reports (a
//             report taken by telephone); reads the hash lists; reads
//             persons and decides on their links (merge, split, candidates).
//   reporter  an industry API token: creates reports and reads and lists
//             only its own (report.read_own, report.list_own: the caller
//             checks that the report's owner is Principal::Owner()).
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sg::security {

enum class Role { kAdmin, kAnalyst, kReporter };

// "admin", "analyst", "reporter".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

enum class Permission {
  kReportCreate,   // report.create
  kReportReadAny,  // report.read_any
  kReportReadOwn,  // report.read_own
  kReportList,     // report.list (every report)
  kReportListOwn,  // report.list_own
  kReportUpdate,   // report.update (triage, notes, status)
  kListsRead,      // lists.read
  kListsManage,    // lists.manage
  kUserManage,     // user.manage
  kTokenManage,    // token.manage
  kAuditRead,      // audit.read
  kAuditVerify,    // audit.verify
  kPersonRead,     // person.read: persons, their identifiers and evidence (linking)
  kPersonDecide,   // person.decide: merge, split, confirm or reject candidate links
};
inline constexpr int kPermissionCount = 14;

// "report.create", ...
std::string_view PermissionName(Permission p);

enum class PrincipalKind {
  kUser,         // a user who has just given name and password
  kToken,        // an API token (Authorization: Bearer)
  kSessionUser,  // a user known from a session cookie
};

// Who is asking. `id` is the users.id or api_tokens.id row.
struct Principal {
  PrincipalKind kind = PrincipalKind::kUser;
  int64_t id = 0;
  std::string name;
  Role role = Role::kReporter;
  bool must_change_password = false;  // users only (the bootstrap admin); not checked by Allowed

  // For audit entries: "user:alice", "token:acme-api".
  std::string AuditName() const;
  // Stable owner of what this principal creates (reports.owner): "user:3",
  // "token:7". Ids, not names: a token name can be reissued after revocation.
  std::string Owner() const;
};

bool Allowed(Role role, Permission p);
bool Allowed(const Principal& principal, Permission p);

// Who does something, for the audit log: Principal::AuditName() or
// "cli:NAME", "system:bootstrap"; and from which address ("" for the CLI).
struct Actor {
  std::string name;
  std::string address;
};

}  // namespace sg::security
