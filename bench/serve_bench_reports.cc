// Synthetic report bodies for serve_bench. Everything here is made up and
// benign: generated names, example.com addresses, UK drama phone numbers
// (07700 900000-900999), documentation IP ranges, random hashes, and chat
// lines that show grooming only through neutral indicators (age probing,
// secrecy, gifts, moving to a private app, a meeting, a camera request).
#include <array>
#include <random>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "bench/serve_bench.h"

namespace sg::bench {
namespace {

constexpr std::array kFirst = {"Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Robin", "Drew"};
constexpr std::array kLast = {"Example", "Sample", "Testwood", "Demoford", "Placeholder", "Mockley", "Fakeham"};
constexpr std::array kPlatforms = {"ExampleChat", "SampleGram", "DemoTalk", "MockPlay"};
constexpr std::array kTypes = {"online_enticement", "sextortion", "other"};
constexpr std::array kChat = {
    "hi, how old are you?",
    "you seem really mature for your age",
    "which school do you go to?",
    "don't tell your parents we talk, ok? it's our secret",
    "I can send you a gift card for your game",
    "let's move to a private app, this one is boring",
    "turn on your cam",
    "send me a pic",
    "we could meet at the shopping centre on saturday",
    "delete these messages after you read them",
};

std::string Hex(std::mt19937_64& rng, size_t digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(digits, '0');
  for (char& c : s) c = kDigits[rng() & 15];
  return s;
}

boost::json::object Person(std::mt19937_64& rng, uint64_t n, bool victim, const std::string& net) {
  const std::string first = kFirst[rng() % kFirst.size()], last = kLast[rng() % kLast.size()];
  boost::json::object p;
  p["screen_names"] = boost::json::array{fmt::format("{}_{}{}", first, victim ? "v" : "r", n)};
  p["display_names"] = boost::json::array{fmt::format("{} {}", first, last)};
  p["emails"] = boost::json::array{fmt::format("{}.{}{}@example.com", first, last, n)};
  p["phones"] = boost::json::array{fmt::format("07700 900{:03}", rng() % 1000)};
  p["ip_events"] = boost::json::array{boost::json::object{
      {"ip", fmt::format("{}.{}", net, rng() % 254 + 1)},
      {"port", static_cast<int64_t>(rng() % 60000 + 1024)},
      {"time", fmt::format("2026-10-{:02}T{:02}:{:02}:00Z", rng() % 28 + 1, rng() % 24, rng() % 60)},
      {"event", "login"}}};
  p["approximate_age"] = static_cast<int64_t>(victim ? 11 + rng() % 5 : 20 + rng() % 40);
  p["estimated_location"] = boost::json::object{{"city", "Exampletown"}, {"country", "GB"}};
  return p;
}

}  // namespace

std::vector<std::string> SyntheticReports(size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  for (uint64_t n = 0; n < count; ++n) {
    boost::json::object r;
    r["source"] = "industry";
    r["incident_type"] = kTypes[rng() % kTypes.size()];
    const int day = static_cast<int>(rng() % 28 + 1), hour = static_cast<int>(rng() % 24);
    r["incident_time"] = fmt::format("2026-11-{:02}T{:02}:{:02}:00Z", day, hour, rng() % 60);
    r["platform"] = kPlatforms[rng() % kPlatforms.size()];
    r["immediate_danger"] = rng() % 20 == 0;
    r["summary"] = fmt::format(
        "Synthetic benchmark report {}: an adult account asked a child's age, offered gifts and asked to move "
        "the conversation to a private app. Generated, not real.",
        n);
    boost::json::object reported = Person(rng, n, false, "203.0.113");
    boost::json::object victim = Person(rng, n, true, "198.51.100");
    r["reported_people"] = boost::json::array{reported};
    r["victims"] = boost::json::array{victim};
    boost::json::array files;
    const size_t nfiles = 1 + rng() % 3;
    for (size_t f = 0; f < nfiles; ++f) {
      files.push_back(boost::json::object{{"file_name", fmt::format("img{}_{}.jpg", n, f)},
                                          {"md5", Hex(rng, 32)},
                                          {"sha1", Hex(rng, 40)},
                                          {"sha256", Hex(rng, 64)},
                                          {"pdq", Hex(rng, 64)},
                                          {"industry_classification", "B2"},
                                          {"viewed_by_platform", true}});
    }
    r["files"] = std::move(files);
    boost::json::array chat;
    const size_t lines = 4 + rng() % 3;
    const std::string authors[2] = {reported["screen_names"].as_array()[0].as_string().c_str(),
                                    victim["screen_names"].as_array()[0].as_string().c_str()};
    for (size_t i = 0; i < lines; ++i) {
      chat.push_back(boost::json::object{
          {"time", fmt::format("2026-11-{:02}T{:02}:{:02}:{:02}Z", day, hour, i * 7 % 60, i * 13 % 60)},
          {"author", authors[i % 2]},
          {"text", i % 2 == 0 ? kChat[rng() % kChat.size()] : "ok"}});
    }
    r["chat"] = std::move(chat);
    r["additional_info"] = "Generated by bench/serve_bench; not a real report.";
    out.push_back(boost::json::serialize(r));
  }
  return out;
}

}  // namespace sg::bench
