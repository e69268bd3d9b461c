// Chat normalisation throughput (MB/s of original text), beside two
// baselines in the same run: utf8proc's own whole-string NFKC + case folding
// (utf8proc_map, no offset map, no chat rules) and a plain ASCII lower-casing
// copy (the floor: touching every byte once). Report ratios, not times.
//
//   build-bench/bench/chat_normalize_bench
#include <benchmark/benchmark.h>
#include <utf8proc.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "chat/normalize.h"

namespace {

// Synthetic, non-explicit chat text: mostly ASCII words, some look-alikes,
// repeated letters, emoji and accented letters, like real chat.
std::string MakeText(size_t bytes, bool non_ascii_heavy) {
  const std::vector<std::string> ascii = {"hi", "how", "was", "school", "today", "lol", "ok", "sooooo", "h3llo",
                                          "c00l", "are", "you", "there", "15", "years", "what", "game", "u",
                                          "playing", "brb", "Thanks!", "see", "you", "at", "3pm"};
  const std::vector<std::string> other = {"caf\xC3\xA9", "\xF0\x9F\x98\x80", "\xEF\xBC\xA8\xEF\xBC\xA9",
                                          "Stra\xC3\x9F" "e", "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
                                          "n\xC3\xA3o", "\xE4\xBD\xA0\xE5\xA5\xBD"};
  std::mt19937 rng(42);
  std::string s;
  while (s.size() < bytes) {
    const bool pick_other = non_ascii_heavy ? rng() % 2 == 0 : rng() % 20 == 0;
    s += pick_other ? other[rng() % other.size()] : ascii[rng() % ascii.size()];
    s += rng() % 12 == 0 ? "\n" : " ";
  }
  return s;
}

const std::string& Text(int64_t kind) {
  static const std::string chat = MakeText(4 << 20, false);
  static const std::string intl = MakeText(4 << 20, true);
  return kind == 0 ? chat : intl;
}

// range(1): the message size: 80 bytes (one message at a time) or the
// whole 4 MiB (a conversation buffer).
void BM_Normalize(benchmark::State& state) {
  const std::string& text = Text(state.range(0));
  const auto piece = static_cast<size_t>(state.range(1));
  sg::chat::Normalizer normalizer;
  sg::chat::NormalizedText out;
  for (auto _ : state) {
    for (size_t i = 0; i < text.size(); i += piece) {
      normalizer.Normalize(std::string_view(text).substr(i, piece), out);
      benchmark::DoNotOptimize(out.text.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_Utf8procNfkcCasefold(benchmark::State& state) {
  const std::string& text = Text(state.range(0));
  for (auto _ : state) {
    for (size_t i = 0; i < text.size(); i += 80) {
      utf8proc_uint8_t* dst = nullptr;
      const size_t len = std::min<size_t>(80, text.size() - i);
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i), static_cast<utf8proc_ssize_t>(len), &dst,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                  UTF8PROC_CASEFOLD));
      benchmark::DoNotOptimize(dst);
      std::free(dst);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_AsciiLowerCopy(benchmark::State& state) {
  const std::string& text = Text(state.range(0));
  std::string out;
  for (auto _ : state) {
    for (size_t i = 0; i < text.size(); i += 80) {
      out.assign(text, i, 80);
      for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

// range(0): 0 = mostly-ASCII chat, 1 = half non-ASCII words.
BENCHMARK(BM_Normalize)->Args({0, 80})->Args({1, 80})->Args({0, 4 << 20})->Args({1, 4 << 20})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Utf8procNfkcCasefold)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AsciiLowerCopy)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
