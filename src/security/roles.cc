#include "security/roles.h"

#include <array>

#include <fmt/format.h>

namespace sg::security {
namespace {

constexpr std::array<std::string_view, kPermissionCount> kPermissionNames = {
    "report.create", "report.read_any", "report.read_own", "report.list",  "report.list_own", "report.update",
    "lists.read",    "lists.manage",    "user.manage",     "token.manage", "audit.read",      "audit.verify",
    "person.read",   "person.decide",
};

// The whole policy. Anything not listed is denied.
constexpr Permission kAnalystAllowed[] = {
    Permission::kReportCreate, Permission::kReportReadAny, Permission::kReportReadOwn, Permission::kReportList,
    Permission::kReportListOwn, Permission::kReportUpdate, Permission::kListsRead,
    Permission::kPersonRead,    Permission::kPersonDecide,
};
constexpr Permission kReporterAllowed[] = {
    Permission::kReportCreate,
    Permission::kReportReadOwn,
    Permission::kReportListOwn,
};

bool Valid(Permission p) {
  const int i = static_cast<int>(p);
  return i >= 0 && i < kPermissionCount;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kAnalyst: return "analyst";
    case Role::kReporter: return "reporter";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kAdmin, Role::kAnalyst, Role::kReporter}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view PermissionName(Permission p) {
  return Valid(p) ? kPermissionNames[static_cast<int>(p)] : "unknown";
}

bool Allowed(Role role, Permission p) {
  if (!Valid(p)) return false;
  switch (role) {
    case Role::kAdmin: return true;
    case Role::kAnalyst:
      for (Permission q : kAnalystAllowed) {
        if (q == p) return true;
      }
      return false;
    case Role::kReporter:
      for (Permission q : kReporterAllowed) {
        if (q == p) return true;
      }
      return false;
  }
  return false;  // a role value out of range
}

bool Allowed(const Principal& principal, Permission p) {
  // must_change_password is not checked here: the server asks for a new
  // password at sign-in (a policy of the user interface, not of access).
  return Allowed(principal.role, p);
}

std::string Principal::AuditName() const {
  return fmt::format("{}:{}", kind == PrincipalKind::kToken ? "token" : "user", name);
}

std::string Principal::Owner() const {
  return fmt::format("{}:{}", kind == PrincipalKind::kToken ? "token" : "user", id);
}

}  // namespace sg::security
