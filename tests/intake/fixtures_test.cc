// Data-driven tests over tests/data/intake:
//   valid/NAME.json      must parse; its canonical form must equal
//                        canonical/NAME.json and parse back to the same report.
//   invalid/NAME.json    must be refused as NAME.expect says:
//     line 1: "STATUS PATH"           (400 files[2].pdq)
//     message: SUBSTRING              the message (after the path) contains it
//     limit: NAME=VALUE               run with this ParseLimits field changed
// Set SG_UPDATE_GOLDEN=1 to rewrite canonical/*.json from the parser (then
// read the diff before committing it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "intake/report_parser.h"

namespace sg::intake {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kDir = fs::path(SG_TEST_DATA_DIR) / "intake";

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Names(const std::string& sub, const std::string& ext) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kDir / sub)) {
    if (entry.path().extension() == ext) names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Two-space indented JSON, so that the golden files can be read and diffed.
void Pretty(const json::value& v, std::string* out, int indent = 0) {
  const std::string pad(indent + 2, ' ');
  if (const json::object* o = v.if_object(); o != nullptr && !o->empty()) {
    *out += "{\n";
    for (auto it = o->begin(); it != o->end(); ++it) {
      *out += pad + json::serialize(json::value(it->key())) + ": ";
      Pretty(it->value(), out, indent + 2);
      *out += std::next(it) == o->end() ? "\n" : ",\n";
    }
    *out += std::string(indent, ' ') + "}";
  } else if (const json::array* a = v.if_array(); a != nullptr && !a->empty()) {
    *out += "[\n";
    for (size_t i = 0; i < a->size(); ++i) {
      *out += pad;
      Pretty((*a)[i], out, indent + 2);
      *out += i + 1 == a->size() ? "\n" : ",\n";
    }
    *out += std::string(indent, ' ') + "]";
  } else {
    *out += json::serialize(v);
  }
}

class ValidFixture : public testing::TestWithParam<std::string> {};

TEST_P(ValidFixture, ParsesToCanonicalFormAndRoundTrips) {
  const std::string text = ReadAll(kDir / "valid" / (GetParam() + ".json"));
  ParseError error;
  auto report = ParseReport(text, {}, &error);
  ASSERT_TRUE(report.ok()) << report.status().message();

  const json::object canonical = ReportToJson(*report);
  const fs::path golden = kDir / "canonical" / (GetParam() + ".json");
  if (std::getenv("SG_UPDATE_GOLDEN") != nullptr) {
    std::string text;
    Pretty(canonical, &text);
    std::ofstream(golden) << text << "\n";
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing (run with SG_UPDATE_GOLDEN=1)";
  EXPECT_EQ(json::value(canonical), json::parse(ReadAll(golden))) << json::serialize(canonical);

  auto again = ParseReport(json::serialize(canonical));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(*again == *report);
  EXPECT_EQ(json::serialize(ReportToJson(*again)), json::serialize(canonical));
}

INSTANTIATE_TEST_SUITE_P(Intake, ValidFixture, testing::ValuesIn(Names("valid", ".json")),
                         [](const auto& info) { return info.param; });

struct Expectation {
  int status = 0;
  std::string path, message;
  ParseLimits limits;
};

Expectation ReadExpect(const fs::path& p) {
  Expectation e;
  std::istringstream in(ReadAll(p));
  std::string line;
  std::getline(in, line);
  size_t space = line.find(' ');
  e.status = std::stoi(line.substr(0, space));
  e.path = line.substr(space + 1);
  while (std::getline(in, line)) {
    if (line.rfind("message: ", 0) == 0) {
      e.message = line.substr(9);
    } else if (line.rfind("limit: ", 0) == 0) {
      std::string name = line.substr(7, line.find('=') - 7);
      size_t value = std::stoul(line.substr(line.find('=') + 1));
      ParseLimits& l = e.limits;
      size_t* field = name == "max_body_bytes"        ? &l.max_body_bytes
                      : name == "max_files"           ? &l.max_files
                      : name == "max_people"          ? &l.max_people
                      : name == "max_chat_messages"   ? &l.max_chat_messages
                      : name == "max_identifiers"     ? &l.max_identifiers
                      : name == "max_long_text_chars" ? &l.max_long_text_chars
                      : name == "max_text_chars"      ? &l.max_text_chars
                                                      : nullptr;
      if (field == nullptr) throw std::runtime_error(p.string() + ": unknown limit " + name);
      *field = value;
    } else if (!line.empty()) {
      throw std::runtime_error(p.string() + ": cannot read line: " + line);
    }
  }
  return e;
}

class InvalidFixture : public testing::TestWithParam<std::string> {};

TEST_P(InvalidFixture, IsRefusedWithPathAndStatus) {
  const fs::path base = kDir / "invalid" / GetParam();
  const std::string text = ReadAll(base.string() + ".json");
  const Expectation want = ReadExpect(base.string() + ".expect");
  ASSERT_TRUE(want.status == 400 || want.status == 413);

  ParseError error;
  auto report = ParseReport(text, want.limits, &error);
  ASSERT_FALSE(report.ok()) << "accepted: " << json::serialize(ReportToJson(*report));
  EXPECT_EQ(error.http_status, want.status) << error.ToString();
  EXPECT_EQ(error.path, want.path) << error.ToString();
  EXPECT_NE(error.message.find(want.message), std::string::npos) << error.ToString();
  EXPECT_EQ(report.status().message(), error.path + ": " + error.message);
  EXPECT_EQ(report.status().code(),
            want.status == 413 ? StatusCode::kResourceExhausted : StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Intake, InvalidFixture, testing::ValuesIn(Names("invalid", ".json")),
                         [](const auto& info) { return info.param; });

TEST(IntakeFixtures, EveryInvalidFixtureHasAnExpectation) {
  for (const std::string& name : Names("invalid", ".json")) {
    EXPECT_TRUE(fs::exists(kDir / "invalid" / (name + ".expect"))) << name;
  }
  for (const std::string& name : Names("invalid", ".expect")) {
    EXPECT_TRUE(fs::exists(kDir / "invalid" / (name + ".json"))) << name;
  }
  EXPECT_GE(Names("valid", ".json").size(), 3u);
}

}  // namespace
}  // namespace sg::intake
