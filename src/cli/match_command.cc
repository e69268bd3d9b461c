// safeguard match [--data DIR] [--json] [--radius R] (--pdq HEX... | --stdin)
#include <algorithm>
#include <cctype>
#include <iostream>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "cli/command.h"
#include "cli/hash_output.h"
#include "cli/match_output.h"
#include "cli/store_access.h"
#include "core/text.h"
#include "core/utf8.h"
#include "hashing/hash256.h"
#include "matching/matcher.h"

namespace sg::cli {
namespace {

struct Query {
  std::string text;  // as given, for error lines
  std::optional<hashing::Hash256> hash;
  std::optional<int> quality;
  std::string error;
};

// "HEX", or "HEX,QUALITY" / "HEX QUALITY" (what `hash` prints).
Query ParseQuery(std::string_view text) {
  Query q;
  q.text = ToValidUtf8(TrimAscii(text));
  std::string_view t = TrimAscii(text);
  size_t sep = t.find_first_of(", \t");
  std::string_view hex = t.substr(0, sep);
  q.hash = hashing::Hash256::FromHex(hex);
  if (!q.hash) {
    q.error = fmt::format("'{}' is not a PDQ hash (64 hex digits expected)", ToValidUtf8(hex.substr(0, 80)));
    return q;
  }
  if (sep != std::string_view::npos) {
    std::string_view rest = TrimAscii(t.substr(sep + 1));
    int quality = -1;
    if (!rest.empty() && rest.size() <= 3 && std::all_of(rest.begin(), rest.end(), ::isdigit)) {
      quality = std::stoi(std::string(rest));
    }
    if (quality < 0 || quality > 100) {
      q.error = fmt::format("'{}' is not a quality (0-100) after the hash", ToValidUtf8(rest.substr(0, 40)));
      return q;
    }
    q.quality = quality;
  }
  return q;
}

class MatchCommand : public Command {
 public:
  std::string_view name() const override { return "match"; }
  std::string_view summary() const override { return "look PDQ hashes up in the hash lists"; }

  void Configure(CLI::App& app) override {
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    app.add_flag("--json", json_, "one JSON object per query (default: CSV, one row per match)");
    app.add_option("--radius", radius_, "match PDQ hashes within this many bits (default 31)")
        ->check(CLI::Range(0, matching::kMaxRadius));
    app.add_option("--min-quality", min_quality_, "queries of lower PDQ quality are not matched (default 50)")
        ->check(CLI::Range(0, 100));
    auto* pdq = app.add_option("--pdq", pdqs_, "PDQ hashes to look up (64 hex digits each; HEX,QUALITY also works)");
    auto* in = app.add_flag("--stdin", stdin_, "read one PDQ hash per line from standard input");
    pdq->excludes(in);
    app.footer(
        "Output: one line per query, in input order; matches sorted by distance.\n"
        "Exit status: 0 when every query was read, 1 if any was malformed, 2 for a bad command line.");
  }

  int Run() override {
    if (pdqs_.empty() && !stdin_) {
      fmt::print(stderr, "safeguard: match: give --pdq HEX... or --stdin\nRun 'safeguard help match' for usage.\n");
      return kExitUsage;
    }
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport("match", data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    auto matcher = matching::Matcher::Open(*conn, data_dir, [](const std::string& what) {
      fmt::print(stderr, "safeguard match: {}\n", what);
    });
    if (!matcher.ok()) {
      ReportError("match", matcher.status().message());
      return kExitFailure;
    }
    if (!json_) std::fputs("query,list,hash,distance,category\n", stdout);
    bool any_bad = false;
    int64_t line_number = 0;
    auto run = [&](std::string_view text, std::string_view where) -> Status {
      Query q = ParseQuery(text);
      if (!q.error.empty()) {
        any_bad = true;
        std::string message = fmt::format("{}{}", where, q.error);
        if (json_) {
          boost::json::object o{{"query", q.text}, {"error", message}};
          fmt::print("{}\n", JsonText(o));
        } else {
          ReportError("match", message);
        }
        return Status::Ok();
      }
      matching::MatchQuery mq;
      mq.pdq = q.hash;
      mq.quality = q.quality;
      auto result = (*matcher)->Lookup(mq, {radius_, min_quality_});
      if (!result.ok()) return result.status();
      Print(q.hash->ToHex(), *result);
      return Status::Ok();
    };
    Status s;
    if (stdin_) {
      std::string line;
      while (s.ok() && std::getline(std::cin, line)) {
        ++line_number;
        if (TrimAscii(line).empty()) continue;
        s = run(line, fmt::format("<stdin>:{}: ", line_number));
      }
    } else {
      for (const std::string& p : pdqs_) {
        if (!s.ok()) break;
        s = run(p, "--pdq: ");
      }
    }
    std::fflush(stdout);
    if (!s.ok()) {
      ReportError("match", s.message());
      return kExitFailure;
    }
    return any_bad ? kExitFailure : kExitOk;
  }

 private:
  void Print(const std::string& query, const matching::MatchResult& r) {
    if (json_) {
      boost::json::object o;
      o["query"] = query;
      o["matches"] = MatchesJson(r.matches);
      if (r.pdq_skipped) o["skipped"] = *r.pdq_skipped;
      fmt::print("{}\n", JsonText(o));
      return;
    }
    for (const auto& m : r.matches) {
      fmt::print("{},{},{},{},{}\n", query, CsvField(m.list), m.hash, m.distance,
                 CsvField(m.category.value_or("")));
    }
  }

  std::string data_, db_;
  bool json_ = false, stdin_ = false;
  int radius_ = matching::kDefaultRadius;
  int min_quality_ = matching::kDefaultMinQuality;
  std::vector<std::string> pdqs_;
};

}  // namespace

std::unique_ptr<Command> MakeMatchCommand() { return std::make_unique<MatchCommand>(); }

}  // namespace sg::cli
