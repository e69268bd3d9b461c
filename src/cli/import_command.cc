// safeguard import [--data DIR] [--db URL] [--json] FILE.ndjson: bulk loads
// of reports, one JSON report per line, through the same validator
// (intake::ParseReport) and the same storage (intake::ReportStore, matching
// included) as POST /api/v1/reports.
//
// What is kept when some lines are bad: every valid line is stored; a bad
// line is reported on stderr as "FILE:LINE: path: reason" and skipped;
// blank lines are ignored; the exit status is then 1. Valid lines are
// stored in batches of kBatch, one transaction each, in input order; a
// batch's ids are printed (one line per stored input line) only once it
// has committed. If the database fails, the run stops with exit 1: the
// batches whose ids were printed are stored, nothing of the failed batch or
// after it is.
//
// The file is streamed: memory is bounded by one batch and one line, and a
// line over the report size limit (1 MiB) is refused without being held.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "cli/command.h"
#include "cli/store_access.h"
#include "core/progress.h"
#include "intake/report_parser.h"
#include "chat/analysis.h"
#include "intake/report_store.h"
#include "matching/matcher.h"

namespace sg::cli {
namespace {

// Reports per transaction: large enough that one flush is spread over many
// reports, small enough that a batch's memory and lock time stay small.
constexpr size_t kBatch = 500;

// Reads lines of at most `max_bytes` (ending "\n" or "\r\n" stripped); a
// longer line is skipped to its end and flagged, never held whole.
class BoundedLineReader {
 public:
  BoundedLineReader(std::FILE* f, size_t max_bytes) : f_(f), max_(max_bytes) {}

  // False at the end of the file or on a read error (see error()).
  bool Next(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    bool any = false;
    while (true) {
      if (pos_ == len_) {
        len_ = std::fread(buf_, 1, sizeof buf_, f_);
        pos_ = 0;
        if (len_ == 0) {
          if (std::ferror(f_)) error_ = errno != 0 ? errno : EIO;
          if (!any) return false;
          break;  // a last line without "\n"
        }
      }
      any = true;
      const char* start = buf_ + pos_;
      const void* nl = std::memchr(start, '\n', len_ - pos_);
      const size_t n = nl ? static_cast<const char*>(nl) - start : len_ - pos_;
      if (!*too_long) {
        if (line->size() + n > max_ + 1) {  // +1: room for a "\r" to strip
          *too_long = true;
          line->clear();
        } else {
          line->append(start, n);
        }
      }
      pos_ += n;
      if (nl) {
        ++pos_;
        break;
      }
    }
    ++line_number_;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    if (line->size() > max_) {
      *too_long = true;
      line->clear();
    }
    return true;
  }

  int64_t line_number() const { return line_number_; }
  int error() const { return error_; }

 private:
  std::FILE* f_;
  size_t max_;
  char buf_[1 << 16];
  size_t pos_ = 0, len_ = 0;
  int64_t line_number_ = 0;
  int error_ = 0;
};

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string::npos;
}

class ImportCommand : public Command {
 public:
  std::string_view name() const override { return "import"; }
  std::string_view summary() const override {
    return "store reports from an NDJSON file, one per line (bad lines are reported and skipped)";
  }

  void Configure(CLI::App& app) override {
    AddDataOption(app, &data_);
    AddDbOption(app, &db_);
    app.add_flag("--json", json_, "print {\"line\": N, \"id\": ID} per stored line instead of the id alone");
    app.add_option("file", file_, "the NDJSON file: one JSON report per line")->required();
  }

  int Run() override {
    std::FILE* in = std::fopen(file_.c_str(), "rb");
    if (in == nullptr) {
      ReportError("import", fmt::format("{}: cannot open: {}", file_, std::strerror(errno)));
      return kExitFailure;
    }
    int status = Import(in);
    std::fclose(in);
    return status;
  }

 private:
  struct Pending {
    int64_t line;
    intake::IngestRequest request;
  };

  int Import(std::FILE* in) {
    std::filesystem::path data_dir;
    auto conn = OpenStoreOrReport("import", data_, db_, &data_dir);
    if (!conn) return kExitFailure;
    auto matcher = matching::Matcher::Open(*conn, data_dir, [&](const std::string& what) {
      if (ProgressBar::StderrIsTerminal()) fmt::print(stderr, "safeguard import: {}\n", what);
    });
    if (!matcher.ok()) {
      ReportError("import", matcher.status().message());
      return kExitFailure;
    }
    intake::ReportStore reports(*conn, matcher->get());
    // A report's chat[] is analysed at intake, as the server does.
    auto analyzer = chat::Analyzer::Create({"", chat::IndicatorMatcher::DefaultCacheDir()});
    if (!analyzer.ok()) {
      ReportError("import", analyzer.status().message());
      return kExitFailure;
    }
    reports.AnalyzeChatWith(analyzer->get());
    actor_ = CliActorName();

    const intake::ParseLimits limits;
    BoundedLineReader reader(in, limits.max_body_bytes);
    ProgressBar progress("import", 0, "lines", ProgressBar::StderrIsTerminal());
    const auto start = std::chrono::steady_clock::now();
    std::vector<Pending> batch;
    std::string line;
    bool too_long = false;
    while (reader.Next(&line, &too_long)) {
      const int64_t n = reader.line_number();
      progress.Advance();
      if (too_long) {
        BadLine(n, fmt::format("(body): more than {} bytes; at most {} allowed", limits.max_body_bytes,
                               limits.max_body_bytes));
        continue;
      }
      if (IsBlank(line)) continue;
      auto report = intake::ParseReport(line, limits);
      if (!report.ok()) {
        BadLine(n, report.status().message());
        continue;
      }
      batch.push_back({n, Request(std::move(report).value())});
      if (batch.size() == kBatch) {
        if (!Flush(reports, batch)) return kExitFailure;
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        progress.SetExtra(fmt::format("{} stored  {:.0f} reports/s", stored_, secs > 0 ? stored_ / secs : 0.0));
      }
    }
    if (reader.error() != 0) {
      progress.Finish();
      ReportError("import", fmt::format("{}: read error after line {}: {}", file_, reader.line_number(),
                                        std::strerror(reader.error())));
      // What was read before the error is still stored, as documented.
      (void)Flush(reports, batch);
      return kExitFailure;
    }
    if (!Flush(reports, batch)) return kExitFailure;
    progress.Finish();
    if (ProgressBar::StderrIsTerminal()) {
      fmt::print(stderr, "safeguard import: {} reports stored, {} lines refused\n", stored_, bad_);
    }
    return bad_ == 0 ? kExitOk : kExitFailure;
  }

  intake::IngestRequest Request(intake::Report report) const {
    intake::IngestRequest r;
    r.report = std::move(report);
    r.owner = "cli:import";
    r.actor = actor_;
    r.channel = std::string(intake::kChannelImport);
    return r;
  }

  void BadLine(int64_t line, std::string_view reason) {
    ++bad_;
    std::fflush(stdout);
    fmt::print(stderr, "{}:{}: {}\n", file_, line, reason);
  }

  // Stores the batch in one transaction and prints its ids; false if the
  // transaction failed (reported), which ends the run.
  bool Flush(intake::ReportStore& reports, std::vector<Pending>& batch) {
    if (batch.empty()) return true;
    std::vector<intake::IngestRequest> requests;
    requests.reserve(batch.size());
    for (Pending& p : batch) requests.push_back(std::move(p.request));
    auto results = reports.IngestBatch(requests);
    if (!results.ok()) {
      ReportError("import", fmt::format("{}: lines {} to {} were not stored: {}", file_, batch.front().line,
                                        batch.back().line, results.status().message()));
      batch.clear();
      return false;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto& r = (*results)[i];
      if (!r.ok()) {
        BadLine(batch[i].line, r.status().message());
        continue;
      }
      ++stored_;
      if (json_) {
        fmt::print("{}\n", JsonText(boost::json::object{{"line", batch[i].line}, {"id", r->id}}));
      } else {
        fmt::print("{}\n", r->id);
      }
    }
    std::fflush(stdout);
    batch.clear();
    return true;
  }

  std::string data_, db_, file_, actor_;
  bool json_ = false;
  int64_t stored_ = 0, bad_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeImportCommand() { return std::make_unique<ImportCommand>(); }

}  // namespace sg::cli
