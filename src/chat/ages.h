// Age claims: self-disclosed ages and school years found in chat messages,
// mapped to age ranges, each with whose it is, a confidence and its evidence
// (conversation, line). Pure functions over the chat model; no I/O.
//
// Recognised forms: "im 13", "i'm 13 years old", "13 yo", "13yo", "13 y/o",
// "age 13", "aged 13", "13/f", asl answers ("14 f uk", or a bare "14" right
// after someone asked "how old are you"/"asl"), "turning 14 next month",
// "i'll be 14" (then the age now is one less), number words ("im thirteen"),
// England/Wales "year 8" (age N+4..N+5), Scotland "P7" / "S2" (P1 is 4-5, S1
// is 11-12), US "8th grade" / "grade 8" (g+5..g+6), "freshman".."senior".
// Traps refused: units after the number (miles, minutes, years ago, "for 13
// years", points, quid...), game levels and other counters ("level 13", "lvl
// 13", "wave 13"), other people's ages ("my brother is 13", "she's 13"), the
// past tense ("when i was 13", "i was 13"), times ("13:00", "at 1pm") and
// prices ("£13", "13.50").
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/conversation.h"

namespace sg::chat {

enum class AgeForm : uint8_t { kStated, kAslAnswer, kFuture, kSchoolYear, kGrade, kBareAnswer };
std::string_view AgeFormName(AgeForm f);

// A claim found in one message's text, before it is attributed.
struct AgeMention {
  int low = 0, high = 0;     // inclusive age range
  double confidence = 0;     // 0..1
  AgeForm form = AgeForm::kStated;
  uint32_t begin = 0, end = 0;  // byte span in the message text
};

// The claims in one message. `after_age_question`: the previous message (by
// someone else) asked for an age, so a bare number answers it.
std::vector<AgeMention> FindAgeMentions(std::string_view text, bool after_age_question = false);

// Does this text ask for someone's age ("how old are you", "asl", "age?")?
bool AsksAge(std::string_view text);

struct AgeClaim {
  std::string author;
  std::string conversation;
  uint64_t line = 0;
  size_t message = 0;         // index in the conversation
  AgeMention mention;
};

std::vector<AgeClaim> ExtractAgeClaims(const Conversation& conversation);

// One author's claims combined: the range of the most confident claim (the
// earliest on ties), and whether any two claims cannot both be true.
struct AuthorAge {
  std::string author;
  int low = 0, high = 0;
  double confidence = 0;
  bool conflicting = false;
  size_t claims = 0;
  bool minor() const { return high < 18; }
  bool adult() const { return low >= 18; }
};

// Combines claims by author (any number of conversations), sorted by author.
std::vector<AuthorAge> CombineAgeClaims(const std::vector<AgeClaim>& claims);

}  // namespace sg::chat
