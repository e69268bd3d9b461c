// IndicatorMatcher: the lexicon compiled into one Vectorscan block-mode
// database (hs_compile_multi, leftmost start of match), scanned once per
// conversation buffer (ScanBuffer), not once per message.
//
// Compiling several hundred patterns takes a second or more, so the database
// is compiled once per process and cached on disk (hs_serialize_database)
// under a name keyed by the lexicon file's hash and the Vectorscan version:
// an edited lexicon gets a new cache file, a stale or foreign one is ignored.
//
// Thread safety: Scan() is const and may run on many threads at once, each
// with its own Scratch (Vectorscan scratch space is per thread).
// Ownership: owns the database; Scratch objects must not outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chat/lexicon.h"
#include "core/result.h"

struct hs_database;
struct hs_scratch;

namespace sg::chat {

struct Hit {
  uint32_t rule = 0;  // index into lexicon().rules
  uint32_t from = 0;  // [from, to) in the scanned buffer
  uint32_t to = 0;
};

class IndicatorMatcher {
 public:
  class Scratch {
   public:
    ~Scratch();
    Scratch(Scratch&&) noexcept;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

   private:
    friend class IndicatorMatcher;
    Scratch() = default;
    hs_scratch* s_ = nullptr;
  };

  // Compiles `lexicon` (or loads it from `cache_dir` when a cached database
  // for this exact lexicon exists; `cache_dir` empty: no disk cache). A
  // pattern Vectorscan rejects is reported as "FILE:LINE: rule ID: reason".
  static Result<std::unique_ptr<IndicatorMatcher>> Create(Lexicon lexicon, const std::string& cache_dir);
  ~IndicatorMatcher();

  const Lexicon& lexicon() const { return lexicon_; }
  bool loaded_from_cache() const { return from_cache_; }

  Result<Scratch> NewScratch() const;
  // Appends every match in `text` to `hits` (in end-offset order).
  Status Scan(std::string_view text, Scratch& scratch, std::vector<Hit>* hits) const;

  // $XDG_CACHE_HOME/safeguard, else $HOME/.cache/safeguard, else "".
  static std::string DefaultCacheDir();

 private:
  IndicatorMatcher() = default;
  Lexicon lexicon_;
  hs_database* db_ = nullptr;
  bool from_cache_ = false;
};

}  // namespace sg::chat
