#include "http/sign_in.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/utf8.h"
#include "http/auth.h"
#include "http/form_csrf.h"
#include "http/pages.h"
#include "http/server.h"
#include "intake/report_store.h"
#include "security/sessions.h"
#include "security/users.h"
#include "store/audit.h"

namespace sg::http {
namespace {

using verb = beast_http::verb;
using security::Principal;

constexpr int kHomePageSize = 50;

// Appends one audit entry in its own transaction.
Status Audit(store::Connection& conn, const store::AuditEntry& entry) { return store::AppendAuditEntries(conn, {entry}); }

// A signed-in user and the id of their new session.
struct SignedInUser {
  Principal who;
  std::string session;
};

// Checks name and password and starts a session; audits success and
// failure. kUnauthenticated ("wrong name or password") for any mismatch.
Result<SignedInUser> SignInWithPassword(store::Connection& conn, std::string_view name, std::string_view password,
                                        const RequestContext& ctx) {
  auto who = security::Authenticate(conn, name, password);
  if (!who.ok()) {
    if (who.status().code() == StatusCode::kUnauthenticated) {
      (void)Audit(conn, {"public", "user.sign_in_failed", "user", "", ctx.remote_address,
                         boost::json::serialize(boost::json::object{{"name", name.substr(0, 64)}})});
    }
    return who.status();
  }
  SG_ASSIGN_OR_RETURN(std::string session, security::CreateSession(conn, *who));
  SG_RETURN_IF_ERROR(
      Audit(conn, {who->AuditName(), "user.sign_in", "user", std::to_string(who->id), ctx.remote_address, ""}));
  return SignedInUser{*who, std::move(session)};
}

// Ends the request's session, if any, and audits who signed out.
Status EndSession(store::Connection& conn, const Request& req, const RequestContext& ctx) {
  const std::string id = CookieValue(req, security::kSessionCookieName);
  if (auto who = SignedIn(conn, req, true); who.ok()) {
    (void)Audit(conn, {who->AuditName(), "user.sign_out", "user", std::to_string(who->id), ctx.remote_address, ""});
  }
  return id.empty() ? Status::Ok() : security::RevokeSession(conn, id);
}

Response WithCookie(Response res, const std::string& set_cookie) {
  if (!set_cookie.empty()) res.insert(beast_http::field::set_cookie, set_cookie);
  return res;
}

Response LoginPage(const security::SecretKey& secret, const Request& req, const RequestContext& ctx, unsigned status,
                   std::string_view name, std::string_view error) {
  std::string set_cookie;
  const std::string token = FormToken(secret, req, ctx, &set_cookie);
  std::string h = "<h1>Sign in</h1>\n";
  if (!error.empty()) h += fmt::format("<p class=error id=form-error>{}</p>\n", HtmlEscape(error));
  h += fmt::format(
      "<form method=post action=\"/login\"><input type=hidden name=csrf value=\"{}\">"
      "<label for=name>Name</label><input type=text id=name name=name value=\"{}\" autocomplete=username required>"
      "<label for=password>Password</label>"
      "<input type=password id=password name=password autocomplete=current-password required>"
      "<button type=submit>Sign in</button></form>\n"
      "<p>To report a concern about a child, use the <a href=\"/report\">report form</a>.</p>",
      HtmlEscape(token), HtmlEscape(name));
  return WithCookie(PageResponse(status, "Sign in", h), set_cookie);
}

Response PasswordPage(const security::SecretKey& secret, const Request& req, const RequestContext& ctx,
                      unsigned status, const Principal& who, std::string_view error) {
  std::string set_cookie;
  const std::string token = FormToken(secret, req, ctx, &set_cookie);
  std::string h = "<h1>Choose a new password</h1>\n";
  if (who.must_change_password) {
    h += "<p>You signed in with a one-time password. Choose your own before you go on.</p>\n";
  }
  if (!error.empty()) h += fmt::format("<p class=error id=form-error>{}</p>\n", HtmlEscape(error));
  h += fmt::format(
      "<form method=post action=\"/account/password\"><input type=hidden name=csrf value=\"{}\">"
      "<label for=current>Current password</label>"
      "<input type=password id=current name=current autocomplete=current-password required>"
      "<label for=new_password>New password <span class=hint>(at least {} characters)</span></label>"
      "<input type=password id=new_password name=new_password autocomplete=new-password required>"
      "<label for=confirm>New password again</label>"
      "<input type=password id=confirm name=confirm autocomplete=new-password required>"
      "<button type=submit>Change password</button></form>",
      HtmlEscape(token), security::kMinPasswordLength);
  return WithCookie(PageResponse(status, "Change password", h), set_cookie);
}

Response TooMany(const RateLimiter::Decision& d) {
  Response res = JsonError(429, fmt::format("too many sign-in attempts from this address; try again in {} s",
                                            d.retry_after.count()));
  res.set(beast_http::field::retry_after, std::to_string(d.retry_after.count()));
  return res;
}

// The start page: who is signed in, and reports by id (audited as reads).
Result<Response> HomePage(store::Connection& conn, const security::SecretKey& secret, const Request& req,
                          const RequestContext& ctx, const Principal& who) {
  std::string set_cookie;
  const std::string token = FormToken(secret, req, ctx, &set_cookie);
  std::string h = fmt::format(
      "<div>Signed in as <strong id=user>{}</strong> ({}). "
      "<form method=post action=\"/logout\"><input type=hidden name=csrf value=\"{}\">"
      "<button type=submit>Sign out</button></form> <a href=\"/account/password\">Change password</a></div>\n",
      HtmlEscape(who.name), security::RoleName(who.role), HtmlEscape(token));
  if (!security::Allowed(who, security::Permission::kReportList)) {
    h += "<p>This account does not list reports.</p>";
    return WithCookie(PageResponse(200, "Safeguard", h), set_cookie);
  }
  auto after = ParseId(QueryParam(req, "after")).value_or(0);
  intake::ReportStore reports(conn, nullptr);
  SG_ASSIGN_OR_RETURN(auto list, reports.List(after, kHomePageSize, std::nullopt));
  std::vector<int64_t> ids;
  h += "<h1>Reports</h1>\n<table id=reports><tr><th>Reference</th><th>Received</th><th>Priority</th>"
       "<th>Type</th><th>Platform</th><th>Channel</th><th>Matches</th></tr>\n";
  for (const auto& v : list) {
    const auto& r = v.as_object();
    const int64_t id = r.at("id").to_number<int64_t>();
    ids.push_back(id);
    auto text = [&](std::string_view key) {
      const auto* f = r.if_contains(key);
      return f && f->is_string() ? HtmlEscape(f->as_string()) : std::string();
    };
    const auto* matches = r.if_contains("matches");
    h += fmt::format("<tr><td><a href=\"/api/v1/reports/{0}\">{0}</a></td><td>{1}</td><td>{2}</td><td>{3}</td>"
                     "<td>{4}</td><td>{5}</td><td>{6}</td></tr>\n",
                     id, text("received_at"), text("priority"), text("incident_type"), text("platform"),
                     text("channel"), matches && matches->is_array() ? matches->as_array().size() : 0);
  }
  h += "</table>\n";
  if (ids.empty()) h += "<p>No reports yet.</p>";
  if (ids.size() == static_cast<size_t>(kHomePageSize)) h += fmt::format("<p><a href=\"/?after={}\">Next</a></p>", ids.back());
  if (!ids.empty()) SG_RETURN_IF_ERROR(reports.AuditRead(ids, who.AuditName(), ctx.remote_address));
  return WithCookie(PageResponse(200, "Safeguard", h), set_cookie);
}

}  // namespace

void AddSignInRoutes(Router& router, ConnectionSource connection, const security::SecretKey& secret,
                     RateLimiter& limiter) {
  router.Add(verb::get, "/login", [&secret](Request& req, const RequestContext& ctx, const PathParams&,
                                            Responder respond) { respond(LoginPage(secret, req, ctx, 200, "", "")); });

  router.Add(verb::post, "/login", [connection, &secret, &limiter](Request& req, const RequestContext& ctx,
                                                                   const PathParams&, Responder respond) {
    auto conn = connection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto form = ParseForm(req.body(), {"csrf", "name", "password"});
    if (!form.ok()) return respond(LoginPage(secret, req, ctx, 400, "", form.status().message()));
    const std::string name(Field(*form, "name"));
    if (!CheckFormToken(secret, req, Field(*form, "csrf")).ok()) {
      return respond(LoginPage(secret, req, ctx, 403, name, "The form expired. Please sign in again."));
    }
    if (auto d = limiter.Take(ctx.remote_address); !d.allowed) {
      return respond(LoginPage(secret, req, ctx, 429, name,
                               fmt::format("Too many attempts. Try again in {} s.", d.retry_after.count())));
    }
    auto user = SignInWithPassword(**conn, name, Field(*form, "password"), ctx);
    if (!user.ok()) {
      if (user.status().code() != StatusCode::kUnauthenticated) return respond(StatusResponse(user.status()));
      return respond(LoginPage(secret, req, ctx, 401, name, "Wrong name or password."));
    }
    Response res = SeeOther(user->who.must_change_password ? "/account/password" : "/");
    res.set(beast_http::field::set_cookie, security::SessionCookie(user->session, ctx.tls));
    respond(std::move(res));
  });

  router.Add(verb::post, "/logout", [connection, &secret](Request& req, const RequestContext& ctx, const PathParams&,
                                                          Responder respond) {
    auto conn = connection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto form = ParseForm(req.body(), {"csrf"});
    if (!form.ok() || !CheckFormToken(secret, req, Field(*form, "csrf")).ok()) {
      return respond(JsonError(403, "the sign-out form expired; reload the page"));
    }
    if (Status s = EndSession(**conn, req, ctx); !s.ok()) return respond(StatusResponse(s));
    Response res = SeeOther("/login");
    res.set(beast_http::field::set_cookie, security::ClearSessionCookie(ctx.tls));
    respond(std::move(res));
  });

  router.Add(verb::get, "/account/password", [connection, &secret](Request& req, const RequestContext& ctx,
                                                                   const PathParams&, Responder respond) {
    auto conn = connection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto who = SignedIn(**conn, req, true);
    if (!who.ok()) return respond(SeeOther("/login"));
    respond(PasswordPage(secret, req, ctx, 200, *who, ""));
  });

  router.Add(verb::post, "/account/password", [connection, &secret, &limiter](Request& req, const RequestContext& ctx,
                                                                              const PathParams&, Responder respond) {
    auto conn = connection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto who = SignedIn(**conn, req, true);
    if (!who.ok()) return respond(SeeOther("/login"));
    auto form = ParseForm(req.body(), {"csrf", "current", "new_password", "confirm"});
    if (!form.ok()) return respond(PasswordPage(secret, req, ctx, 400, *who, form.status().message()));
    if (!CheckFormToken(secret, req, Field(*form, "csrf")).ok()) {
      return respond(PasswordPage(secret, req, ctx, 403, *who, "The form expired. Please try again."));
    }
    if (auto d = limiter.Take(ctx.remote_address); !d.allowed) {
      return respond(PasswordPage(secret, req, ctx, 429, *who, "Too many attempts. Try again later."));
    }
    if (Field(*form, "new_password") != Field(*form, "confirm")) {
      return respond(PasswordPage(secret, req, ctx, 400, *who, "The two new passwords are not the same."));
    }
    if (Field(*form, "new_password") == Field(*form, "current")) {
      return respond(PasswordPage(secret, req, ctx, 400, *who, "The new password must differ from the current one."));
    }
    if (!security::Authenticate(**conn, who->name, Field(*form, "current")).ok()) {
      return respond(PasswordPage(secret, req, ctx, 401, *who, "The current password is wrong."));
    }
    Status set = security::SetPassword(**conn, who->name, Field(*form, "new_password"),
                                       {who->AuditName(), ctx.remote_address});
    if (set.code() == StatusCode::kInvalidArgument) return respond(PasswordPage(secret, req, ctx, 400, *who, set.message()));
    if (!set.ok()) return respond(StatusResponse(set));
    // SetPassword ended every session of the user (this one too): a stolen
    // session dies with the old password. The person here just proved the
    // current one, so they get a new session.
    security::Principal fresh = *who;
    fresh.must_change_password = false;
    auto session = security::CreateSession(**conn, fresh);
    if (!session.ok()) return respond(StatusResponse(session.status()));
    Response res = SeeOther("/");
    res.set(beast_http::field::set_cookie, security::SessionCookie(*session, ctx.tls));
    respond(std::move(res));
  });

  router.Add(verb::get, "/", [connection, &secret](Request& req, const RequestContext& ctx, const PathParams&,
                                                   Responder respond) {
    auto conn = connection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    auto who = SignedIn(**conn, req, true);
    if (!who.ok()) return respond(SeeOther("/login"));
    if (who->must_change_password) return respond(SeeOther("/account/password"));
    auto page = HomePage(**conn, secret, req, ctx, *who);
    respond(page.ok() ? std::move(*page) : StatusResponse(page.status()));
  });

  router.Add(verb::post, "/api/v1/session", [connection, &limiter](Request& req, const RequestContext& ctx,
                                                                   const PathParams&, Responder respond) {
    auto conn = connection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    // JSON only: a cross-site HTML form cannot send application/json, so
    // this endpoint needs no CSRF token.
    auto type = req[beast_http::field::content_type];
    if (type.substr(0, 16) != "application/json") {
      return respond(JsonError(415, "send the credentials as application/json", "(body)"));
    }
    if (auto d = limiter.Take(ctx.remote_address); !d.allowed) return respond(TooMany(d));
    boost::system::error_code ec;
    auto body = boost::json::parse(req.body(), ec);
    const auto* obj = ec ? nullptr : body.if_object();
    const auto* name = obj ? obj->if_contains("name") : nullptr;
    const auto* password = obj ? obj->if_contains("password") : nullptr;
    if (!name || !name->is_string()) return respond(JsonError(400, "expected a string", "name"));
    if (!password || !password->is_string()) return respond(JsonError(400, "expected a string", "password"));
    auto user = SignInWithPassword(**conn, name->as_string(), password->as_string(), ctx);
    if (!user.ok()) return respond(StatusResponse(user.status()));
    const Principal& who = user->who;
    Response res = JsonResponse(200, boost::json::object{{"user", who.name},
                                                         {"role", security::RoleName(who.role)},
                                                         {"must_change_password", who.must_change_password}});
    res.set(beast_http::field::set_cookie, security::SessionCookie(user->session, ctx.tls));
    respond(std::move(res));
  });

  router.Add(verb::delete_, "/api/v1/session", [connection](Request& req, const RequestContext& ctx,
                                                            const PathParams&, Responder respond) {
    auto conn = connection();
    if (!conn.ok()) return respond(StatusResponse(conn.status()));
    if (Status s = EndSession(**conn, req, ctx); !s.ok()) return respond(StatusResponse(s));
    Response res{beast_http::status::no_content, 11};
    res.set(beast_http::field::set_cookie, security::ClearSessionCookie(ctx.tls));
    respond(std::move(res));
  });
}

}  // namespace sg::http
