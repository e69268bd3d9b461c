#include <gtest/gtest.h>

#include <set>
#include <string>

#include "security/roles.h"

namespace sg::security {
namespace {

// The whole policy, written out: a change to roles.cc must change this.
TEST(RolesTest, PermissionTable) {
  const std::set<std::string> analyst = {"report.create", "report.read_any", "report.read_own", "report.list",
                                         "report.list_own", "report.update", "lists.read",
                                         "person.read",     "person.decide"};
  const std::set<std::string> reporter = {"report.create", "report.read_own", "report.list_own"};
  int seen = 0;
  for (int i = 0; i < kPermissionCount; ++i) {
    const auto p = static_cast<Permission>(i);
    const std::string name(PermissionName(p));
    SCOPED_TRACE(name);
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(Allowed(Role::kAdmin, p));
    EXPECT_EQ(Allowed(Role::kAnalyst, p), analyst.count(name) == 1);
    EXPECT_EQ(Allowed(Role::kReporter, p), reporter.count(name) == 1);
    seen += analyst.count(name) + reporter.count(name);
  }
  EXPECT_EQ(seen, static_cast<int>(analyst.size() + reporter.size()));  // no name in the sets is misspelt
}

TEST(RolesTest, ReporterCannotReadOthersOrManage) {
  Principal token{PrincipalKind::kToken, 7, "acme-api", Role::kReporter};
  for (Permission p : {Permission::kReportReadAny, Permission::kReportList, Permission::kReportUpdate,
                       Permission::kUserManage, Permission::kTokenManage, Permission::kAuditRead,
                       Permission::kAuditVerify, Permission::kListsRead, Permission::kListsManage}) {
    EXPECT_FALSE(Allowed(token, p)) << PermissionName(p);
  }
  EXPECT_TRUE(Allowed(token, Permission::kReportCreate));
}

TEST(RolesTest, UnknownValuesAreDenied) {
  EXPECT_FALSE(Allowed(Role::kAdmin, static_cast<Permission>(kPermissionCount)));
  EXPECT_FALSE(Allowed(Role::kAdmin, static_cast<Permission>(-1)));
  EXPECT_FALSE(Allowed(static_cast<Role>(42), Permission::kReportCreate));
  EXPECT_EQ(PermissionName(static_cast<Permission>(99)), "unknown");
}

TEST(RolesTest, RoleNamesRoundTrip) {
  for (Role r : {Role::kAdmin, Role::kAnalyst, Role::kReporter}) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_EQ(RoleName(Role::kReporter), "reporter");
  EXPECT_FALSE(ParseRole("Admin"));
  EXPECT_FALSE(ParseRole("root"));
  EXPECT_FALSE(ParseRole(""));
}

TEST(RolesTest, AuditNameAndOwner) {
  Principal user{PrincipalKind::kSessionUser, 3, "alice", Role::kAnalyst};
  Principal token{PrincipalKind::kToken, 7, "acme-api", Role::kReporter};
  EXPECT_EQ(user.AuditName(), "user:alice");
  EXPECT_EQ(user.Owner(), "user:3");
  EXPECT_EQ(token.AuditName(), "token:acme-api");
  EXPECT_EQ(token.Owner(), "token:7");
}

}  // namespace
}  // namespace sg::security
