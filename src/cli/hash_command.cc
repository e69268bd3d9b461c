// safeguard hash [--json] [--fast] [--dihedral] [-r] [-j N] PATH...
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/json_text.h"
#include "cli/command.h"
#include "cli/file_walk.h"
#include "cli/hash_output.h"
#include "cli/ordered_pool.h"
#include "core/progress.h"
#include "media/file_hasher.h"

namespace sg::cli {
namespace {

class HashCommand : public Command {
 public:
  std::string_view name() const override { return "hash"; }
  std::string_view summary() const override {
    return "print PDQ, MD5, SHA-1 and SHA-256 hashes of files (images get PDQ)";
  }

  void Configure(CLI::App& app) override {
    app.add_flag("--json", json_, "one JSON object per line instead of CSV");
    app.add_flag("--fast", fast_, "decode large JPEGs at a reduced scale (PDQ may differ by a few bits)");
    app.add_flag("--dihedral", dihedral_, "also print the 8 rotated/flipped PDQ variants (pdq_dihedral)");
    app.add_flag("-r,--recursive", recursive_, "walk directories (symbolic links are not followed)");
    app.add_option("-j,--jobs", jobs_, "files hashed in parallel (default: number of cores)")
        ->check(CLI::Range(1, 1024));
    app.add_option("paths", paths_, "files or directories")->required();
    app.footer(
        "Output: one line per file, in command-line order, directory contents sorted by path.\n"
        "Exit status: 0 if every file hashed, 1 if any failed, 2 for a bad command line.");
  }

  int Run() override {
    KeepFreedMemory();
    WalkResult walk = ExpandPaths(paths_, recursive_);
    media::FileHashOptions options;
    options.fast = fast_;
    options.dihedral = dihedral_;
    const int threads = jobs_ > 0 ? jobs_ : std::max(1u, std::thread::hardware_concurrency());
    ProgressBar progress("hashing", walk.entries.size(), "files", ProgressBar::StderrIsTerminal());
    bool any_failed = false;
    if (!json_) std::fputs(CsvHeader(dihedral_).c_str(), stdout);
    RunOrdered<media::FileHashes>(
        walk.entries.size(), threads,
        [&](size_t i) {
          media::FileHashes h = HashWalkEntry(walk.entries[i], options);
          progress.Advance(1, h.size);
          return h;
        },
        [&](size_t, media::FileHashes h) {
          if (!h.error.ok()) any_failed = true;
          if (json_) {
            std::string line = JsonText(HashJson(h, dihedral_));
            line += '\n';
            std::fputs(line.c_str(), stdout);
          } else if (h.error.ok()) {
            std::fputs(CsvLine(h, dihedral_).c_str(), stdout);
          } else {
            std::fflush(stdout);
            fmt::print(stderr, "safeguard hash: {}\n", ErrorLine(h));
          }
        });
    progress.Finish();
    std::fflush(stdout);
    return any_failed ? kExitFailure : kExitOk;
  }

 private:
  bool json_ = false, fast_ = false, dihedral_ = false, recursive_ = false;
  int jobs_ = 0;
  std::vector<std::string> paths_;
};

}  // namespace

std::unique_ptr<Command> MakeHashCommand() { return std::make_unique<HashCommand>(); }

}  // namespace sg::cli
