#include "http/public_form.h"

#include <charconv>
#include <map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/text.h"
#include "core/utf8.h"
#include "http/form_csrf.h"
#include "http/pages.h"
#include "intake/report_parser.h"
#include "intake/report_store.h"

namespace sg::http {
namespace {

using verb = beast_http::verb;
using Errors = std::map<std::string, std::string>;  // form field -> message

// The choices of "what happened", in words a child or parent would use,
// with the wire names of intake/report.h.
struct Choice {
  std::string_view value, label;
};
constexpr Choice kIncidentChoices[] = {
    {"online_enticement", "Someone is trying to get close to a child online, or to meet them"},
    {"sextortion", "Someone is threatening a child to get pictures or money"},
    {"csam", "Someone is sharing or asking for images of a child being abused"},
    {"child_sex_trafficking", "A child is being exploited by someone for money or favours"},
    {"unsolicited_obscene_material", "A child was sent something that is not appropriate"},
    {"other", "Something else"},
};

constexpr std::string_view kFields[] = {
    "csrf",          "danger",          "what",           "description",    "when_date",
    "when_time",     "platform",        "child_username", "child_age",      "person_username",
    "person_profile", "person_email",   "person_phone",   "person_details", "contact_name",
    "contact_email", "contact_phone"};

constexpr std::string_view kCall999 =
    "<p class=danger><strong>Is a child in danger right now? Call 999.</strong><br>"
    "This form is not watched around the clock. If someone could be hurt now, call 999 first; "
    "you can fill this in afterwards.</p>";

std::string Value(const FormFields& form, std::string_view name) { return HtmlEscape(Field(form, name)); }

std::string ErrorFor(const Errors& errors, const std::string& field) {
  auto it = errors.find(field);
  return it == errors.end() ? "" : fmt::format("<p class=error id=\"{}-error\">{}</p>", field, HtmlEscape(it->second));
}

std::string TextInput(const FormFields& form, const Errors& errors, std::string_view type, const std::string& name,
                      std::string_view label, std::string_view hint, std::string_view extra = "") {
  return fmt::format("<label for={0}>{1} <span class=hint>{2}</span></label>{3}"
                     "<input type={4} id={0} name={0} value=\"{5}\" {6}>\n",
                     name, label, hint, ErrorFor(errors, name), type, Value(form, name), extra);
}

std::string FormPage(const FormFields& form, const Errors& errors, std::string_view csrf) {
  std::string h(kCall999);
  h += "<h1>Report a concern about a child online</h1>\n"
       "<p>Tell us what happened. You do not need to give your name. Everything you write goes to "
       "the child protection team, who read every report.</p>\n";
  if (auto it = errors.find(""); it != errors.end()) {
    h += fmt::format("<p class=error id=form-error>{}</p>\n", HtmlEscape(it->second));
  } else if (!errors.empty()) {
    h += "<p class=error id=form-error>Please check the answers marked below.</p>\n";
  }
  h += fmt::format("<form method=post action=\"/report\">\n<input type=hidden name=csrf value=\"{}\">\n",
                   HtmlEscape(csrf));

  const std::string_view danger = Field(form, "danger");
  h += fmt::format(
      "<fieldset><legend>Is a child in immediate danger?</legend>{}"
      "<label><input type=radio name=danger value=yes{}> Yes: call 999 now, then send this report</label>"
      "<label><input type=radio name=danger value=no{}> No</label></fieldset>\n",
      ErrorFor(errors, "danger"), danger == "yes" ? " checked" : "", danger == "no" ? " checked" : "");

  h += fmt::format("<fieldset><legend>What happened?</legend>{}<label for=what>What is it about?</label>"
                   "<select id=what name=what required><option value=\"\">Choose one</option>",
                   ErrorFor(errors, "what"));
  for (const Choice& c : kIncidentChoices) {
    h += fmt::format("<option value=\"{}\"{}>{}</option>", c.value, Field(form, "what") == c.value ? " selected" : "",
                     HtmlEscape(c.label));
  }
  h += "</select>\n";
  h += fmt::format("<label for=description>Tell us what happened <span class=hint>in your own words</span></label>{}"
                   "<textarea id=description name=description required maxlength=20000>{}</textarea>\n",
                   ErrorFor(errors, "description"), Value(form, "description"));
  h += TextInput(form, errors, "date", "when_date", "When did it happen?", "(if you know)");
  h += TextInput(form, errors, "time", "when_time", "At what time?", "(if you know)");
  h += TextInput(form, errors, "text", "platform", "On which app, game or website?", "for example the app's name",
                 "maxlength=1000");
  h += "</fieldset>\n<fieldset><legend>The child</legend>";
  h += TextInput(form, errors, "text", "child_username", "Their username on that app", "(if you know)",
                 "maxlength=1000");
  h += TextInput(form, errors, "number", "child_age", "How old are they?", "(roughly is fine)", "min=0 max=25");
  h += "</fieldset>\n<fieldset><legend>The person you are worried about</legend>";
  h += TextInput(form, errors, "text", "person_username", "Their username", "(if you know)", "maxlength=1000");
  h += TextInput(form, errors, "text", "person_profile", "A link to their profile", "(if you have one)",
                 "maxlength=1000");
  h += TextInput(form, errors, "email", "person_email", "Their email address", "(if you know)", "maxlength=1000");
  h += TextInput(form, errors, "tel", "person_phone", "Their phone number", "(if you know)", "maxlength=1000");
  h += fmt::format("<label for=person_details>Anything else you know about them</label>{}"
                   "<textarea id=person_details name=person_details maxlength=5000>{}</textarea>\n",
                   ErrorFor(errors, "person_details"), Value(form, "person_details"));
  h += "</fieldset>\n<fieldset><legend>How can we reach you? <span class=hint>(optional)</span></legend>";
  h += TextInput(form, errors, "text", "contact_name", "Your name", "", "maxlength=200");
  h += TextInput(form, errors, "email", "contact_email", "Your email address", "", "maxlength=200");
  h += TextInput(form, errors, "tel", "contact_phone", "Your phone number", "", "maxlength=200");
  h += "</fieldset>\n<button type=submit>Send report</button>\n</form>\n";
  return h;
}

// Where an API field path ("reported_people[0].emails[0]") was typed in.
std::string FormFieldFor(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {"incident_type", "what"},
      {"incident_time", "when_date"},
      {"platform", "platform"},
      {"summary", "description"},
      {"additional_info", "person_details"},
      {"victims[0].screen_names", "child_username"},
      {"victims[0].approximate_age", "child_age"},
      {"reported_people[0].screen_names", "person_username"},
      {"reported_people[0].profile_urls", "person_profile"},
      {"reported_people[0].emails", "person_email"},
      {"reported_people[0].phones", "person_phone"},
  };
  for (const auto& [prefix, field] : kMap) {
    if (path.substr(0, prefix.size()) == prefix) return std::string(field);
  }
  return "";
}

void AddIf(boost::json::object& o, std::string_view key, std::string_view value) {
  if (!value.empty()) o[key] = boost::json::array{boost::json::string(value)};
}

// The form as report JSON, or errors by field. The checks here are only
// those the form itself adds (required answers, the date's shape); the rest
// is ParseReport's.
std::optional<std::string> FormToReportJson(const FormFields& form, Errors& errors) {
  boost::json::object r;
  r["source"] = "public";
  const std::string_view danger = Field(form, "danger");
  if (danger != "yes" && danger != "no") errors["danger"] = "Please say whether a child is in immediate danger.";
  r["immediate_danger"] = danger == "yes";
  const std::string_view what = Field(form, "what");
  if (what.empty()) errors["what"] = "Please choose what it is about.";
  r["incident_type"] = what;
  const std::string description(TrimAscii(Field(form, "description")));
  if (description.empty()) errors["description"] = "Please tell us what happened.";
  r["summary"] = description;
  if (auto p = TrimAscii(Field(form, "platform")); !p.empty()) r["platform"] = p;

  const std::string_view date = TrimAscii(Field(form, "when_date")), time = TrimAscii(Field(form, "when_time"));
  if (!date.empty()) {
    // <input type=date> sends YYYY-MM-DD and type=time HH:MM; the time is
    // kept as entered, read as UTC (the form cannot know the time zone).
    r["incident_time"] = fmt::format("{}T{}{}Z", date, time.empty() ? "00:00" : time, time.size() == 5 ? ":00" : "");
  } else if (!time.empty()) {
    errors["when_date"] = "Please give the date as well as the time, or leave both empty.";
  }

  boost::json::object child;
  AddIf(child, "screen_names", TrimAscii(Field(form, "child_username")));
  if (auto age_text = TrimAscii(Field(form, "child_age")); !age_text.empty()) {
    int age = -1;
    auto [end, ec] = std::from_chars(age_text.data(), age_text.data() + age_text.size(), age);
    if (ec != std::errc() || end != age_text.data() + age_text.size() || age < 0 || age > 120) {
      errors["child_age"] = "Please give the age as a number of years, or leave it empty.";
    } else {
      child["approximate_age"] = age;
    }
  }
  if (!child.empty()) r["victims"] = boost::json::array{child};

  boost::json::object person;
  AddIf(person, "screen_names", TrimAscii(Field(form, "person_username")));
  AddIf(person, "profile_urls", TrimAscii(Field(form, "person_profile")));
  AddIf(person, "emails", TrimAscii(Field(form, "person_email")));
  AddIf(person, "phones", TrimAscii(Field(form, "person_phone")));
  if (!person.empty()) r["reported_people"] = boost::json::array{person};

  std::string info = "Sent through the public report form.";
  if (auto d = TrimAscii(Field(form, "person_details")); !d.empty()) info += fmt::format("\nAbout the person: {}", d);
  if (!date.empty()) info += fmt::format("\nTime as entered (no time zone): {} {}", date, time);
  std::string contact;
  for (std::string_view f : {"contact_name", "contact_email", "contact_phone"}) {
    if (auto v = TrimAscii(Field(form, f)); !v.empty()) contact += fmt::format("{}{}", contact.empty() ? "" : ", ", v);
  }
  info += contact.empty() ? "\nContact: none given (anonymous)." : fmt::format("\nContact: {}", contact);
  r["additional_info"] = info;
  if (!errors.empty()) return std::nullopt;
  return boost::json::serialize(r);
}

}  // namespace

void AddPublicFormRoutes(Router& router, ReportWriter& writer, const security::SecretKey& secret,
                         RateLimiter& limiter) {
  // The form with a CSRF token bound to the caller's nonce cookie (a new
  // one when the request has none).
  auto show_form = [&secret](const Request& req, const RequestContext& ctx, unsigned status, const FormFields& form,
                             const Errors& errors) {
    std::string set_cookie;
    const std::string token = FormToken(secret, req, ctx, &set_cookie);
    Response res = PageResponse(status, "Report a concern", FormPage(form, errors, token));
    if (!set_cookie.empty()) res.set(beast_http::field::set_cookie, set_cookie);
    return res;
  };

  router.Add(verb::get, "/report", [show_form](Request& req, const RequestContext& ctx, const PathParams&,
                                               Responder respond) { respond(show_form(req, ctx, 200, {}, {})); });

  router.Add(verb::post, "/report", [show_form, &writer, &secret, &limiter](
                                        Request& req, const RequestContext& ctx, const PathParams&, Responder respond) {
    auto form = ParseForm(req.body(), kFields);
    if (!form.ok()) return respond(show_form(req, ctx, 400, {}, {{"", form.status().message()}}));
    if (!CheckFormToken(secret, req, Field(*form, "csrf")).ok()) {
      // Most often an old tab or blocked cookies: keep what was typed.
      return respond(show_form(req, ctx, 403, *form,
                               {{"", "This form has expired or did not come from this site. Please check your "
                                     "answers and send it again (your browser must accept cookies from this site)."}}));
    }
    if (auto d = limiter.Take(ctx.remote_address); !d.allowed) {
      Response res = PageResponse(
          429, "Too many reports",
          fmt::format("{}<h1>Too many reports from your connection</h1><p>Please try again in {} minutes. "
                      "If a child is in danger now, call 999.</p>",
                      kCall999, (d.retry_after.count() + 59) / 60));
      res.set(beast_http::field::retry_after, std::to_string(d.retry_after.count()));
      return respond(std::move(res));
    }
    Errors errors;
    auto json = FormToReportJson(*form, errors);
    if (!json) return respond(show_form(req, ctx, 400, *form, errors));
    intake::ParseError error;
    auto report = intake::ParseReport(*json, {}, &error);
    if (!report.ok()) {
      const std::string field = FormFieldFor(error.path);
      return respond(show_form(req, ctx, 400, *form, {{field, field.empty() ? error.ToString() : error.message}}));
    }
    const bool danger = report->immediate_danger.value_or(false);
    intake::IngestRequest ingest;
    ingest.report = std::move(report).value();
    ingest.owner = "public";
    ingest.actor = "public";
    ingest.address = ctx.remote_address;
    ingest.channel = std::string(intake::kChannelPublicForm);
    writer.Submit(std::move(ingest), [respond = std::move(respond), danger](Result<intake::IngestOutcome> r) mutable {
      if (!r.ok()) {
        return respond(PageResponse(500, "Not sent",
                                    fmt::format("{}<h1>Your report could not be saved</h1><p>Please try again in a "
                                                "few minutes.</p>",
                                                kCall999)));
      }
      std::string h;
      if (danger) h += kCall999;
      h += fmt::format("<h1>Thank you. Your report has been sent.</h1>"
                       "<p class=ok>Your reference number is</p><p class=ref id=reference>{}</p>"
                       "<p>Keep this number: quote it if you contact us about this report again.</p>",
                       r->id);
      if (danger) h += "<p>Because you said a child is in immediate danger, this report is marked top priority.</p>";
      respond(PageResponse(201, "Report sent", h));
    });
  });
}

}  // namespace sg::http
