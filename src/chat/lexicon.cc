#include "chat/lexicon.h"

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>
#include <xxhash.h>

#include "core/text.h"

namespace sg::chat {
namespace {

constexpr std::array<std::string_view, kCategoryCount> kCategoryNames = {
    "age_probe", "age_disclosure", "minor_ack", "personal_info", "risk_assessment", "secrecy",
    "exclusivity", "trust", "gifts", "money", "platform_move", "photo_request", "meeting", "pressure"};
constexpr std::array<std::string_view, kStageCount> kStageNames = {
    "friendship", "relationship", "risk", "exclusivity", "escalation", "conclusion"};

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

}  // namespace

std::string_view CategoryName(Category c) { return kCategoryNames[static_cast<int>(c)]; }
std::string_view StageName(Stage s) { return kStageNames[static_cast<int>(s) - 1]; }

bool ParseCategory(std::string_view name, Category* out) {
  for (int i = 0; i < kCategoryCount; ++i) {
    if (kCategoryNames[i] == name) {
      *out = static_cast<Category>(i);
      return true;
    }
  }
  return false;
}

bool ParseStage(std::string_view name, Stage* out) {
  for (int i = 0; i < kStageCount; ++i) {
    if (kStageNames[i] == name) {
      *out = static_cast<Stage>(i + 1);
      return true;
    }
  }
  return false;
}

Result<Lexicon> ParseLexicon(std::string_view text, std::string_view path) {
  Lexicon lex;
  lex.path = std::string(path);
  lex.hash = XXH64(text.data(), text.size(), 0);
  std::unordered_set<std::string> ids;
  bool header_seen = false;
  uint64_t line_no = 0;
  size_t pos = 0;
  std::string_view line;
  while (NextLine(text, &pos, &line)) {
    ++line_no;
    auto fail = [&](const std::string& why) {
      return InvalidArgument(fmt::format("{}:{}: {}", path, line_no, why));
    };
    if (TrimAscii(line).empty()) continue;
    if (line.front() == '#') {
      constexpr std::string_view kVersion = "# lexicon-version:";
      if (line.starts_with(kVersion)) lex.version = std::string(TrimAscii(line.substr(kVersion.size())));
      continue;
    }
    std::vector<std::string_view> f = SplitTabs(line);
    if (!header_seen) {
      if (f.size() != 6 || f[0] != "id" || f[5] != "pattern") {
        return fail("expected the header 'id<TAB>category<TAB>stage<TAB>weight<TAB>speaker<TAB>pattern'");
      }
      if (lex.version.empty()) return fail("no '# lexicon-version: N' line before the header");
      header_seen = true;
      continue;
    }
    if (f.size() != 6) return fail(fmt::format("expected 6 tab-separated fields, found {}", f.size()));
    Rule r;
    r.line = line_no;
    r.id = std::string(f[0]);
    if (r.id.empty()) return fail("empty id");
    if (!ids.insert(r.id).second) return fail(fmt::format("duplicate id '{}'", r.id));
    if (!ParseCategory(f[1], &r.category)) return fail(fmt::format("unknown category '{}'", f[1]));
    if (!ParseStage(f[2], &r.stage)) return fail(fmt::format("unknown stage '{}'", f[2]));
    char* end = nullptr;
    std::string w(f[3]);
    r.weight = std::strtod(w.c_str(), &end);
    if (w.empty() || *end != '\0' || !(r.weight > 0 && r.weight <= 1)) {
      return fail(fmt::format("weight '{}' is not a number in (0, 1]", f[3]));
    }
    if (f[4] == "any") r.speaker = Speaker::kAny;
    else if (f[4] == "adult") r.speaker = Speaker::kAdult;
    else if (f[4] == "minor") r.speaker = Speaker::kMinor;
    else return fail(fmt::format("speaker '{}' is not any, adult or minor", f[4]));
    r.pattern = std::string(f[5]);
    if (r.pattern.empty()) return fail("empty pattern");
    lex.rules.push_back(std::move(r));
  }
  if (!header_seen) return InvalidArgument(fmt::format("{}: no header line (id, category, ...)", path));
  if (lex.rules.empty()) return InvalidArgument(fmt::format("{}: no rules", path));
  return lex;
}

Result<Lexicon> LoadLexicon(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(fmt::format("{}: cannot open the lexicon", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseLexicon(ss.str(), path);
}

std::string DefaultChatDataDir() {
  if (const char* env = std::getenv("SAFEGUARD_CHAT_DATA"); env && *env) return env;
#ifdef SG_SOURCE_DATA_DIR
  if (std::filesystem::exists(SG_SOURCE_DATA_DIR "/chat/lexicon.tsv")) return SG_SOURCE_DATA_DIR "/chat";
#endif
  return "data/chat";
}

}  // namespace sg::chat
