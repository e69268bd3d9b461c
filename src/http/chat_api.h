// Chat logs through the API: attach a log (a file from a seized device or a
// platform) to a report or a case, and read its analysis. Analysts and
// admins only (report.update to attach, report.read_any to read).
//
//   POST /api/v1/reports/{id}/chat-logs?format=F&name=N   body: the log file
//   POST /api/v1/chat-logs?case=REF&format=F&name=N       the same, for a case
//        -> 201 {"id", "report_id", "case_ref", ..., "analysis"}
//   GET  /api/v1/reports/{id}/chat-logs                   {"chat_logs": [...]}
//   GET  /api/v1/chat-logs/{id}                           one log and its analysis
//   GET  /api/v1/chat-logs/{id}?reveal=true               ... with the matched text
//
// F is pan12, jsonl, csv or whatsapp (absent: detected from N's extension
// and the first bytes); N names the file in errors ("chat.csv:12: ..."). A
// malformed log is 400 with that FILE:LINE message and nothing is stored.
// The analysis is made when the log is stored (and, for a report's chat[],
// at intake) and is redacted: indicators and ages carry rules and
// (conversation, line) references, no message text. `reveal=true` analyses
// the stored messages again with the matched spans included; it is an
// explicit act, audited as "chat_log.reveal" with who and from where.
// Every other read is audited as "chat_log.read".
//
// Each author of an answer's analysis gets "person_ids" (the persons holding
// its name as a screen name on the platforms of its conversations),
// "person_match" ("platform", or "any_platform" when a conversation names no
// platform and the name was looked up on every platform: a lead, not a
// link) and "network_ids": the networks (networks_api.h) holding those
// persons, from the server's NetworkCache, shared with the networks API.
//
// An upload's body may be up to `max_upload_bytes` when the caller is
// signed in with report.update (decided from the header, before the body is
// read); anyone else, and every other route, keeps the server's default
// limit. A larger body is refused with 413.
#pragma once

#include <cstdint>
#include <memory>

#include "chat/analysis.h"
#include "http/auth.h"
#include "http/network_cache.h"
#include "http/router.h"

namespace sg::http {

// `analyzer` must outlive the router's use.
void AddChatRoutes(Router& router, ConnectionSource connection, const chat::Analyzer& analyzer,
                   std::shared_ptr<NetworkCache> networks, uint64_t max_upload_bytes);

}  // namespace sg::http
