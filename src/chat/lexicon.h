// Lexicon: the indicator lexicon (data/chat/lexicon.tsv) as loaded rules.
// A versioned, tab-separated data file of NON-EXPLICIT grooming indicators:
// id, category, stage, weight, speaker constraint and a regex over normalised
// text (see src/chat/README.md for the format). Loading checks every field and
// names FILE:LINE on the first bad one; nothing is half-loaded.
// Thread safety: an immutable value once loaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sg::chat {

// The categories of the issue, in a fixed order (used as bit positions).
enum class Category : uint8_t {
  kAgeProbe, kAgeDisclosure, kMinorAck, kPersonalInfo, kRiskAssessment, kSecrecy,
  kExclusivity, kTrust, kGifts, kMoney, kPlatformMove, kPhotoRequest, kMeeting, kPressure,
};
inline constexpr int kCategoryCount = 14;

// O'Connell's stages, without the explicit one: "escalation" stands for the
// requests (photos, webcam, pressure) that precede it.
enum class Stage : uint8_t { kFriendship = 1, kRelationship, kRisk, kExclusivity, kEscalation, kConclusion };
inline constexpr int kStageCount = 6;

enum class Speaker : uint8_t { kAny, kAdult, kMinor };

std::string_view CategoryName(Category c);
std::string_view StageName(Stage s);
bool ParseCategory(std::string_view name, Category* out);
bool ParseStage(std::string_view name, Stage* out);

struct Rule {
  std::string id;
  Category category;
  Stage stage;
  double weight = 0;   // 0 < weight <= 1
  Speaker speaker = Speaker::kAny;
  std::string pattern;
  uint64_t line = 0;   // where it is defined
};

struct Lexicon {
  std::string version;   // from "# lexicon-version: N"
  std::string path;
  uint64_t hash = 0;     // xxh64 of the file's bytes: the compiled-database cache key
  std::vector<Rule> rules;
};

// Parses lexicon text; `path` names it in errors ("lexicon.tsv:12: ...").
Result<Lexicon> ParseLexicon(std::string_view text, std::string_view path);
Result<Lexicon> LoadLexicon(const std::string& path);

// The lexicon shipped in data/chat/: $SAFEGUARD_CHAT_DATA, else the source
// tree's data/chat (compiled in), else ./data/chat.
std::string DefaultChatDataDir();

}  // namespace sg::chat
