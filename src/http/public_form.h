// The public "report a concern" page, for children, parents and anyone
// else: GET /report shows a plain HTML form (no JavaScript, no sign-in),
// POST /report stores the report and answers with its reference number.
//
//   - Immediate danger: the form starts with "call 999"; a report that says
//     a child is in immediate danger is stored with priority "top" and its
//     answer page shows "call 999 now" before anything else.
//   - Cross-site request forgery: double submit (form_csrf.h). A post
//     without the cookie and its token, or from a form older than
//     kFormMaxAge, is refused with 403 and the form again, answers kept.
//   - Rate limit per client address (RateLimiter), on POST only: 429 with
//     Retry-After and a page that still says "call 999".
//   - The same validation as the API: the form is turned into report JSON
//     and read by intake::ParseReport, so a bad value is refused with the
//     form shown again, the person's answers kept and the field named.
// Stored with source "public", channel "public_form", owner "public"; the
// audit entry records the client address. Contact details and what is
// known about the person go into additional_info (the report model has no
// contact fields: reporters are anonymous unless they choose otherwise).
#pragma once

#include "http/rate_limiter.h"
#include "http/report_writer.h"
#include "http/router.h"
#include "security/secrets.h"

namespace sg::http {

// `writer`, `secret` and `limiter` must outlive the router's use.
void AddPublicFormRoutes(Router& router, ReportWriter& writer, const security::SecretKey& secret,
                         RateLimiter& limiter);

}  // namespace sg::http
