// Helpers shared by the chat import tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chat/import/reader.h"

namespace sg::chat::testing {

inline std::string DataPath(const std::string& name) { return std::string(SG_TEST_DATA_DIR) + "/chat/" + name; }

// Every conversation of a reader, or the error message.
struct ReadOutcome {
  std::vector<Conversation> conversations;
  std::string error;  // "" when the whole input was read
};

inline ReadOutcome ReadAllFrom(ConversationReader& reader) {
  ReadOutcome out;
  while (true) {
    Conversation c;
    auto more = reader.Next(c);
    if (!more.ok()) {
      out.error = more.status().message();
      return out;
    }
    if (!*more) return out;
    out.conversations.push_back(std::move(c));
  }
}

inline ReadOutcome ReadString(const std::string& name, const std::string& content, std::string_view format) {
  auto r = OpenReaderFromString(name, content, format);
  if (!r.ok()) return {{}, r.status().message()};
  return ReadAllFrom(**r);
}

inline ReadOutcome ReadFile(const std::string& path, std::string_view format = "") {
  auto r = OpenReader(path, format);
  if (!r.ok()) return {{}, r.status().message()};
  return ReadAllFrom(**r);
}

}  // namespace sg::chat::testing
