// safeguard chat analyze [--json] [--reveal] [--format F] [-j N] FILE...
// Reads chat logs (src/chat/import), analyses every conversation (indicators,
// ages, scores) and prints one line per conversation, then one per author
// ranked by risk, then a summary. A file's lines are buffered until the file
// has been read completely, so a malformed file prints nothing but its
// FILE:LINE error.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json_text.h"
#include "chat/analysis.h"
#include "chat/authors.h"
#include "chat/import/reader.h"
#include "cli/command.h"
#include "cli/hash_output.h"
#include "cli/ordered_pool.h"
#include "cli/store_access.h"
#include "core/progress.h"

namespace sg::cli {
namespace {

// Conversations are analysed in batches on the worker threads while the
// reader (one thread per file) waits; a batch is bounded in bytes so memory
// stays bounded on multi-GB logs.
constexpr size_t kBatchBytes = 8 << 20;
constexpr size_t kBatchConversations = 4096;

struct Totals {
  uint64_t files = 0, failed_files = 0, conversations = 0, messages = 0, flagged = 0, bytes = 0;
};

class ChatCommand : public Command {
 public:
  std::string_view name() const override { return "chat"; }
  std::string_view summary() const override { return "analyse chat logs for grooming indicators, ages and risk"; }

  void Configure(CLI::App& app) override {
    app.require_subcommand(1);
    analyze_ = app.add_subcommand("analyze", "score conversations and authors; evidence as (conversation, line) and rule ids");
    analyze_->add_flag("--json", json_, "one JSON object per conversation, then per author, then a summary");
    analyze_->add_option("--format", format_, "pan12, jsonl, csv or whatsapp (default: by extension or content)")
        ->check(CLI::IsMember({"pan12", "jsonl", "csv", "whatsapp"}));
    analyze_->add_flag("--reveal", reveal_,
                       "include the matched text of each indicator and age claim (text is redacted by default)");
    analyze_->add_option("-j,--jobs", jobs_, "conversations analysed in parallel (default: number of cores)")
        ->check(CLI::Range(1, 1024));
    analyze_->add_option("--chat-data", data_dir_, "folder with lexicon.tsv and scorecard.tsv (default: the shipped data/chat)");
    analyze_->add_option("files", files_, "chat logs")->required();
    analyze_->footer(
        "Output (--json): {\"type\": \"conversation\", \"conversation\", \"score\", \"flagged\", \"authors\",\n"
        "\"indicators\": [{\"category\", \"line\", \"rule\"}], \"ages\": [...], \"terms\": [...]} per conversation,\n"
        "{\"type\": \"author\", \"author\", \"score\", \"minors_contacted\", \"estimated_age\", ...} per author\n"
        "(highest score first), then {\"type\": \"summary\", ...}.\n"
        "Exit status: 0 if every file was read, 1 if any was malformed (FILE:LINE on stderr; nothing of\n"
        "that file is printed), 2 for a bad command line.");
  }

  int Run() override {
    const auto start = std::chrono::steady_clock::now();
    // Conversations are allocated and freed by the thousand: keep freed memory
    // instead of returning it to the kernel (page faults were 12% of a run).
    KeepFreedMemory();
    chat::AnalyzerOptions options;
    options.data_dir = data_dir_;
    options.cache_dir = chat::IndicatorMatcher::DefaultCacheDir();
    auto analyzer = chat::Analyzer::Create(options);
    if (!analyzer.ok()) {
      ReportError("chat analyze", analyzer.status().message());
      return kExitFailure;
    }
    const chat::Analyzer& an = **analyzer;
    const int threads = jobs_ > 0 ? jobs_ : std::max(1u, std::thread::hardware_concurrency());
    // Counts files (the total is known) and shows MB/s and conversations so far.
    ProgressBar progress("analysing", files_.size(), "files", ProgressBar::StderrIsTerminal());
    std::vector<chat::Analyzer::Workspace> workspaces(static_cast<size_t>(threads));
    chat::AuthorAggregator authors;
    Totals totals;
    for (const std::string& file : files_) {
      ++totals.files;
      Totals file_totals;
      chat::AuthorAggregator file_authors;
      std::string out;  // this file's lines, printed once it has been read completely
      Status s = AnalyzeFile(file, an, threads, workspaces, progress, &file_authors, &file_totals, &out);
      progress.Advance(1, 0);
      if (!s.ok()) {
        ++totals.failed_files;
        // On a terminal the error goes on its own line, below the progress line.
        fmt::print(stderr, "{}{}\n", ProgressBar::StderrIsTerminal() ? "\n" : "", s.message());
        continue;
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      authors.Merge(std::move(file_authors));
      totals.conversations += file_totals.conversations;
      totals.messages += file_totals.messages;
      totals.flagged += file_totals.flagged;
      totals.bytes += file_totals.bytes;
    }
    progress.Finish();
    std::vector<chat::AuthorResult> ranked = authors.Finish(an.scorecard());
    uint64_t adults_with_minors = 0, minors = 0;
    for (const auto& a : ranked) {
      if (!a.minors.empty() && !(a.age && a.age->minor())) ++adults_with_minors;
      if (a.age && a.age->minor()) ++minors;
      PrintAuthor(a);
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double mb = static_cast<double>(totals.bytes) / 1e6;
    if (json_) {
      boost::json::object o{{"type", "summary"},
                            {"files", totals.files},
                            {"failed_files", totals.failed_files},
                            {"conversations", totals.conversations},
                            {"messages", totals.messages},
                            {"flagged", totals.flagged},
                            {"authors", ranked.size()},
                            {"minors", minors},
                            {"adults_contacting_minors", adults_with_minors},
                            {"MB", std::round(mb * 1000) / 1000},
                            {"seconds", std::round(seconds * 1000) / 1000},
                            {"MB_per_s", seconds > 0 ? std::round(mb / seconds * 100) / 100 : 0.0},
                            {"lexicon_version", an.lexicon().version},
                            {"lexicon_rules", an.lexicon().rules.size()},
                            {"scorecard_version", an.scorecard().version()}};
      fmt::print("{}\n", JsonText(o));
    } else {
      fmt::print("summary: {} files ({} malformed), {} conversations, {} flagged, {} authors, {} adults in contact "
                 "with minors; {:.1f} MB in {:.2f} s\n",
                 totals.files, totals.failed_files, totals.conversations, totals.flagged, ranked.size(),
                 adults_with_minors, mb, seconds);
    }
    std::fflush(stdout);
    return totals.failed_files ? kExitFailure : kExitOk;
  }

 private:
  // Reads up to a batch of conversations into `batch` (emptied first);
  // `bytes` gets their text size.
  static Status ReadBatch(chat::ConversationReader& reader, std::vector<chat::Conversation>* batch, size_t* bytes) {
    batch->clear();
    *bytes = 0;
    while (batch->size() < kBatchConversations && *bytes < kBatchBytes) {
      batch->emplace_back();
      SG_ASSIGN_OR_RETURN(bool more, reader.Next(batch->back()));
      if (!more) {
        batch->pop_back();
        break;
      }
      for (const auto& m : batch->back().messages) *bytes += m.text.size() + m.author.size() + 16;
    }
    return Status::Ok();
  }

  Status AnalyzeFile(const std::string& file, const chat::Analyzer& an, int threads,
                     std::vector<chat::Analyzer::Workspace>& workspaces, ProgressBar& progress,
                     chat::AuthorAggregator* file_authors, Totals* t, std::string* out) {
    SG_ASSIGN_OR_RETURN(auto reader, chat::OpenReader(file, format_));
    std::vector<chat::Conversation> batch, next;
    std::vector<Result<chat::ConversationAnalysis>> results;
    size_t bytes = 0, next_bytes = 0;
    SG_RETURN_IF_ERROR(ReadBatch(*reader, &batch, &bytes));
    while (!batch.empty()) {
      // Worker w owns workspaces[w] and analyses items w, w + slices, ...,
      // so no two threads share a Vectorscan scratch.
      results.clear();
      results.resize(batch.size(), Result<chat::ConversationAnalysis>(Internal("not analysed")));
      const size_t slices = std::min<size_t>(static_cast<size_t>(threads), batch.size());
      auto analyse = [&] {
        RunOrdered<int>(slices, threads, [&](size_t slice) {
          for (size_t i = slice; i < batch.size(); i += slices) results[i] = an.Analyze(batch[i], workspaces[slice]);
          return 0;
        }, [](size_t, int) {});
      };
      // With more than one thread the next batch is read while this one is
      // analysed (the reader is a sequential stage); with -j 1 one after the other.
      Status read;
      if (threads > 1) {
        std::thread worker(analyse);
        read = ReadBatch(*reader, &next, &next_bytes);
        worker.join();
      } else {
        analyse();
        read = ReadBatch(*reader, &next, &next_bytes);
      }
      for (size_t i = 0; i < batch.size(); ++i) {
        if (!results[i].ok()) return results[i].status().WithContext(file);
        const chat::ConversationAnalysis& a = *results[i];
        ++t->conversations;
        t->messages += a.messages;
        t->bytes += a.bytes;
        if (a.score.flagged) ++t->flagged;
        file_authors->Add(batch[i], a);
        PrintConversation(a, an, reveal_ ? &batch[i] : nullptr, out);
      }
      progress.Advance(0, bytes);
      progress.SetExtra(fmt::format("{} conversations in this file", t->conversations));
      SG_RETURN_IF_ERROR(read);
      std::swap(batch, next);
      bytes = next_bytes;
    }
    return Status::Ok();
  }

  void PrintConversation(const chat::ConversationAnalysis& a, const chat::Analyzer& an,
                         const chat::Conversation* reveal, std::string* out) {
    if (json_) {
      *out += JsonText(chat::ConversationJson(a, an.lexicon(), reveal));
      *out += '\n';
      return;
    }
    fmt::format_to(std::back_inserter(*out), "conversation {} ({}): score {:.2f}{}, {} messages, authors {}\n",
                   a.conversation, a.source, a.score.score, a.score.flagged ? " FLAGGED" : "", a.messages,
                   fmt::join(a.authors, ", "));
    for (const auto& i : a.indicators) {
      const auto& r = an.lexicon().rules[i.rule];
      fmt::format_to(std::back_inserter(*out), "  line {}: {} ({}){}\n", i.line, chat::CategoryName(r.category), r.id,
                     reveal ? fmt::format(": \"{}\"", chat::EvidenceText(reveal->messages[i.message].text, i.begin, i.end))
                            : "");
    }
    for (const auto& c : a.ages) {
      fmt::format_to(std::back_inserter(*out), "  line {}: age {} says {}{}\n", c.line, c.author,
                     c.mention.low == c.mention.high ? fmt::format("{}", c.mention.low)
                                                     : fmt::format("{}-{}", c.mention.low, c.mention.high),
                     fmt::format(" ({}, confidence {:.2f})", chat::AgeFormName(c.mention.form), c.mention.confidence));
    }
  }

  void PrintAuthor(const chat::AuthorResult& a) {
    if (json_) {
      fmt::print("{}\n", JsonText(chat::AuthorJson(a)));
      return;
    }
    fmt::print("author {}: score {:.2f}, {} minors contacted, age {}{}, {} conversations ({} flagged)\n", a.author,
               a.score, a.minors.size(),
               a.age ? (a.age->low == a.age->high ? fmt::format("{}", a.age->low)
                                                  : fmt::format("{}-{}", a.age->low, a.age->high))
                     : "unknown",
               a.age && a.age->conflicting ? " (conflicting claims)" : "", a.conversations, a.flagged);
  }

  CLI::App* analyze_ = nullptr;
  bool json_ = false, reveal_ = false;
  int jobs_ = 0;
  std::string format_, data_dir_;
  std::vector<std::string> files_;
};

}  // namespace

std::unique_ptr<Command> MakeChatCommand() { return std::make_unique<ChatCommand>(); }

}  // namespace sg::cli
