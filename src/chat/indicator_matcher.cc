#include "chat/indicator_matcher.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <hs/hs.h>
#include <unistd.h>

namespace sg::chat {
namespace {

constexpr unsigned kFlags = HS_FLAG_SOM_LEFTMOST | HS_FLAG_UTF8 | HS_FLAG_CASELESS;

std::string CachePath(const std::string& dir, const Lexicon& lex) {
  // hs_version() names the library build: a database serialised by another
  // Vectorscan is refused by hs_deserialize_database anyway, but a distinct
  // name keeps two installed versions from evicting each other's cache.
  std::string version = hs_version();
  for (char& c : version) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  }
  return fmt::format("{}/chat-lexicon-{:016x}-hs{}.db", dir, lex.hash, version);
}

hs_database* LoadCached(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string bytes = ss.str();
  hs_database* db = nullptr;
  if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) return nullptr;
  return db;
}

// Best effort: a cache that cannot be written only costs the next start a compile.
void StoreCached(const std::string& dir, const std::string& path, const hs_database* db) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Written to a temporary name and renamed, so a concurrent reader never sees half a file.
  std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) out.write(bytes, static_cast<std::streamsize>(length));
    if (!out) {
      std::free(bytes);
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::free(bytes);
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

struct ScanContext {
  std::vector<Hit>* hits;
};

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int, void* ctx) {
  static_cast<ScanContext*>(ctx)->hits->push_back(
      Hit{id, static_cast<uint32_t>(from), static_cast<uint32_t>(to)});
  return 0;
}

}  // namespace

IndicatorMatcher::Scratch::~Scratch() {
  if (s_) hs_free_scratch(s_);
}
IndicatorMatcher::Scratch::Scratch(Scratch&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }

IndicatorMatcher::~IndicatorMatcher() {
  if (db_) hs_free_database(db_);
}

std::string IndicatorMatcher::DefaultCacheDir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/safeguard";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/safeguard";
  return "";
}

Result<std::unique_ptr<IndicatorMatcher>> IndicatorMatcher::Create(Lexicon lexicon, const std::string& cache_dir) {
  std::unique_ptr<IndicatorMatcher> m(new IndicatorMatcher());
  m->lexicon_ = std::move(lexicon);
  const Lexicon& lex = m->lexicon_;
  std::string cache_path = cache_dir.empty() ? "" : CachePath(cache_dir, lex);
  if (!cache_path.empty()) {
    if ((m->db_ = LoadCached(cache_path)) != nullptr) {
      m->from_cache_ = true;
      return m;
    }
  }
  std::vector<const char*> patterns;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < lex.rules.size(); ++i) {
    patterns.push_back(lex.rules[i].pattern.c_str());
    flags.push_back(kFlags);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  hs_error_t rc = hs_compile_multi(patterns.data(), flags.data(), ids.data(), static_cast<unsigned>(patterns.size()),
                                   HS_MODE_BLOCK, nullptr, &m->db_, &err);
  if (rc != HS_SUCCESS) {
    std::string message;
    if (err && err->expression >= 0 && static_cast<size_t>(err->expression) < lex.rules.size()) {
      const Rule& r = lex.rules[static_cast<size_t>(err->expression)];
      message = fmt::format("{}:{}: rule {}: {}", lex.path, r.line, r.id, err->message);
    } else {
      message = fmt::format("{}: cannot compile the lexicon: {}", lex.path, err ? err->message : "unknown error");
    }
    hs_free_compile_error(err);
    return InvalidArgument(message);
  }
  if (!cache_path.empty()) StoreCached(cache_dir, cache_path, m->db_);
  return m;
}

Result<IndicatorMatcher::Scratch> IndicatorMatcher::NewScratch() const {
  Scratch s;
  if (hs_alloc_scratch(db_, &s.s_) != HS_SUCCESS) return ResourceExhausted("cannot allocate Vectorscan scratch");
  return s;
}

Status IndicatorMatcher::Scan(std::string_view text, Scratch& scratch, std::vector<Hit>* hits) const {
  ScanContext ctx{hits};
  hs_error_t rc = hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, scratch.s_, OnMatch, &ctx);
  if (rc != HS_SUCCESS) return Internal(fmt::format("hs_scan failed ({})", rc));
  return Status::Ok();
}

}  // namespace sg::chat
