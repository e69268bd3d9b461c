#include "core/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

#include <boost/json.hpp>

namespace sg {
namespace {

namespace json = boost::json;

TEST(JsonText, DoublesInTheirShortestPlainForm) {
  EXPECT_EQ(JsonText(json::value(8.73)), "8.73");
  EXPECT_EQ(JsonText(json::value(0.5)), "0.5");
  EXPECT_EQ(JsonText(json::value(-2.0)), "-2");
  EXPECT_EQ(JsonText(json::value(1e20)), "1e+20");
  EXPECT_EQ(JsonText(json::value(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(JsonText(json::value(-std::numeric_limits<double>::infinity())), "null");
}

TEST(JsonText, EscapesWhatJsonRequiresAndKeepsUtf8) {
  EXPECT_EQ(JsonText(json::value("a\"b\\c\nd\te\x01")), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(JsonText(json::value("caf\xc3\xa9 \xe2\x9c\x93")), "\"caf\xc3\xa9 \xe2\x9c\x93\"");
  EXPECT_EQ(JsonText(json::object{{"k\"", json::array{1, true, nullptr, "x"}}}), R"({"k\"":[1,true,null,"x"]})");
  EXPECT_EQ(JsonText(json::value(std::numeric_limits<uint64_t>::max())), "18446744073709551615");
}

TEST(JsonText, EveryDoubleReadsBackExactly) {
  // strtod, not Boost.JSON 1.81's parser, which is itself off by one unit
  // in the last place for some inputs.
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100000; ++i) {
    double d;
    do {
      const uint64_t bits = rng();
      std::memcpy(&d, &bits, sizeof d);
    } while (!std::isfinite(d));
    const std::string text = JsonText(json::value(d));
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), d) << text;
    EXPECT_EQ(text.find_first_of("Ei"), std::string::npos) << text;  // "e", never "E", "inf"
  }
}

TEST(JsonText, ReadsBackAsTheSameValue) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 500; ++i) {
    json::object o;
    o["count"] = static_cast<int64_t>(rng() >> 1);
    o["text"] = std::string(1, static_cast<char>(rng() % 0x7f)) + "\x1f\"\\";
    o["list"] = json::array{static_cast<int64_t>(rng() % 100) - 50, nullptr, false, json::object{{"", "x"}}};
    const std::string text = JsonText(o);
    EXPECT_EQ(json::parse(text), json::value(o)) << text;
  }
}

}  // namespace
}  // namespace sg
