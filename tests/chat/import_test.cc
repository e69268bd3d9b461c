// The chat importers over the fixture files in tests/data/chat: what each
// format yields (ids, authors, times, lines, text), detection, and reading a
// large generated file in bounded memory.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "core/time.h"
#include "import_test_util.h"

namespace sg::chat {
namespace {

using testing::DataPath;
using testing::ReadFile;
using testing::ReadString;

std::string Utc(const std::optional<Time>& t) { return t ? FormatUtc(*t) : "none"; }

TEST(Pan12Reader, ReadsConversationsMessagesAndSourceLines) {
  auto out = ReadFile(DataPath("pan12_small.xml"));
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 2u);  // c0a3 has no messages
  const Conversation& c = out.conversations[0];
  EXPECT_EQ(c.id, "c0a1");
  EXPECT_EQ(c.source, DataPath("pan12_small.xml"));
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].author, "author_aa01");
  EXPECT_EQ(c.messages[0].text, "hi there, how was school today?");
  EXPECT_EQ(c.messages[0].line, 4u);
  EXPECT_EQ(c.messages[0].minute_of_day, 21 * 60 + 47);
  EXPECT_FALSE(c.messages[0].time.has_value());
  EXPECT_EQ(c.messages[1].text, "ok & boring");
  EXPECT_EQ(c.messages[1].line, 9u);
  EXPECT_EQ(c.messages[2].text, "");
  EXPECT_EQ(c.messages[2].line, 14u);
  const Conversation& d = out.conversations[1];
  EXPECT_EQ(d.id, "c0a2");
  ASSERT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.messages[0].line, 21u);
  EXPECT_EQ(d.messages[0].minute_of_day, 9 * 60 + 5);
}

TEST(Pan12Reader, ReplacesInvalidUtf8AndControlCharacters) {
  const std::string xml = "<conversations><conversation id=\"x\"><message><author>a\xFF</author>"
                          "<text>b\x01" "c \xC3\xA9 \xE2\x82</text></message></conversation></conversations>";
  auto out = ReadString("bad.xml", xml, "pan12");
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 1u);
  EXPECT_EQ(out.conversations[0].messages[0].author, "a\xEF\xBF\xBD");
  EXPECT_EQ(out.conversations[0].messages[0].text, "b\xEF\xBF\xBD" "c \xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Pan12Reader, MultiByteCharactersAcrossChunkBoundaries) {
  // Text long enough to cross several 64 KiB reads, all of it "é".
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "\xC3\xA9";
  const std::string xml = "<conversations>\n<conversation id=\"x\">\n<message><author>a</author><text>" + text +
                          "</text></message>\n</conversation>\n</conversations>\n";
  auto out = ReadString("long.xml", xml, "pan12");
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 1u);
  EXPECT_EQ(out.conversations[0].messages[0].text, text);
}

TEST(JsonlReader, GroupsConsecutiveRecordsAndKeepsFields) {
  auto out = ReadFile(DataPath("jsonl_small.jsonl"));
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 3u);
  const Conversation& c = out.conversations[0];
  EXPECT_EQ(c.id, "c1");
  EXPECT_EQ(c.platform, "gameapp");
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].line, 1u);
  EXPECT_EQ(Utc(c.messages[0].time), "2026-11-29T18:05:00.000Z");
  EXPECT_EQ(c.messages[0].minute_of_day, 18 * 60 + 5);
  EXPECT_EQ(Utc(c.messages[1].time), "2026-11-29T22:10:30.000Z");
  EXPECT_EQ(c.messages[1].minute_of_day, 23 * 60 + 10);  // the sender's clock, before the offset
  EXPECT_EQ(out.conversations[1].id, "2");
  EXPECT_EQ(out.conversations[1].messages[0].line, 4u);
  EXPECT_EQ(out.conversations[1].messages[0].text, "line one\nline two");
  EXPECT_FALSE(out.conversations[1].messages[0].time.has_value());
  // A reappearing id is a further chunk with the same id.
  EXPECT_EQ(out.conversations[2].id, "c1");
  EXPECT_EQ(out.conversations[2].messages[0].line, 5u);
  EXPECT_EQ(out.conversations[2].messages[0].text, "back again");
}

TEST(JsonlReader, LeadingBomIsSkipped) {
  auto out = ReadString("b.jsonl", "\xEF\xBB\xBF{\"conversation\": \"c\", \"author\": \"a\", \"time\": null, \"text\": \"t\"}\n", "");
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 1u);
  EXPECT_EQ(out.conversations[0].messages[0].text, "t");
}

TEST(CsvReader, HeaderInAnyOrderAndCaseQuotedNewlines) {
  auto out = ReadFile(DataPath("csv_small.csv"));
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 2u);
  const Conversation& c = out.conversations[0];
  EXPECT_EQ(c.id, "c7");
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].text, "hi, you there?");
  EXPECT_EQ(c.messages[0].author, "Ava Test");
  EXPECT_EQ(c.messages[0].line, 2u);
  EXPECT_EQ(c.messages[1].text, "a \"quoted\"\nmulti-line text");
  EXPECT_EQ(c.messages[1].line, 3u);
  EXPECT_FALSE(c.messages[1].time.has_value());
  const Conversation& d = out.conversations[1];
  EXPECT_EQ(d.id, "c8");
  EXPECT_EQ(d.messages[0].line, 6u);
  EXPECT_EQ(Utc(d.messages[0].time), "2026-11-30T12:30:00.000Z");
  EXPECT_EQ(d.messages[0].minute_of_day, 7 * 60 + 30);
}

TEST(WhatsappReader, IosExport) {
  auto out = ReadFile(DataPath("whatsapp_ios.txt"));
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 1u);
  const Conversation& c = out.conversations[0];
  EXPECT_EQ(c.id, "whatsapp_ios");
  EXPECT_EQ(c.platform, "whatsapp");
  ASSERT_EQ(c.messages.size(), 5u);
  EXPECT_EQ(c.messages[0].text, "Messages and calls are end-to-end encrypted.");  // the mark is dropped
  EXPECT_EQ(c.messages[1].author, "Kai Sample");
  EXPECT_EQ(c.messages[1].text, "hi, what school do you go to?");
  EXPECT_EQ(Utc(c.messages[1].time), "2026-11-29T18:05:40.000Z");
  EXPECT_EQ(c.messages[2].text, "why\nsecond line");
  EXPECT_EQ(c.messages[2].line, 3u);
  EXPECT_EQ(c.messages[3].author, "Lee Example");
  EXPECT_EQ(c.messages[3].text, "image omitted");
  EXPECT_EQ(c.messages[3].line, 5u);
  EXPECT_EQ(Utc(c.messages[4].time), "2026-11-30T07:01:09.000Z");
  EXPECT_EQ(c.messages[4].minute_of_day, 7 * 60 + 1);
}

TEST(WhatsappReader, AndroidExportSkipsSystemLines) {
  auto out = ReadFile(DataPath("whatsapp_android.txt"));
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 1u);
  const Conversation& c = out.conversations[0];
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].line, 2u);
  EXPECT_EQ(c.messages[0].author, "Kai Sample");
  EXPECT_EQ(c.messages[1].author, "Lee Example");
  EXPECT_EQ(c.messages[1].text, "why: who is asking\nstill me");
  EXPECT_EQ(Utc(c.messages[1].time), "2026-11-29T18:06:00.000Z");
  EXPECT_EQ(c.messages[2].line, 6u);
  EXPECT_EQ(c.messages[2].text, "ok");
}

TEST(WhatsappReader, UsMonthFirstTwelveHourClock) {
  auto out = ReadFile(DataPath("whatsapp_us.txt"));
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.conversations.size(), 1u);
  const Conversation& c = out.conversations[0];
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(Utc(c.messages[0].time), "2026-11-29T18:05:00.000Z");  // U+202F before PM
  EXPECT_EQ(Utc(c.messages[1].time), "2026-11-29T00:30:00.000Z");  // 12:30 AM
  EXPECT_EQ(Utc(c.messages[2].time), "2026-12-01T12:00:00.000Z");  // 12:00 pm
  EXPECT_EQ(c.messages[1].minute_of_day, 30);
}

TEST(WhatsappReader, AmbiguousDatesWithTwentyFourHourTimesAreDayFirst) {
  auto out = ReadString("chat.txt", "01/02/2026, 10:00 - A: x\n", "whatsapp");
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(Utc(out.conversations[0].messages[0].time), "2026-02-01T10:00:00.000Z");
}

TEST(DetectFormat, ByExtensionThenFirstBytes) {
  EXPECT_EQ(*DetectFormat("a.XML", ""), Format::kPan12);
  EXPECT_EQ(*DetectFormat("a.ndjson", ""), Format::kJsonl);
  EXPECT_EQ(*DetectFormat("a.csv", ""), Format::kCsv);
  EXPECT_EQ(*DetectFormat("a.txt", ""), Format::kWhatsapp);
  EXPECT_EQ(*DetectFormat("log", "\xEF\xBB\xBF  <?xml version=\"1.0\"?>"), Format::kPan12);
  EXPECT_EQ(*DetectFormat("log", "{\"conversation\": 1}"), Format::kJsonl);
  EXPECT_EQ(*DetectFormat("log", "[29/11/2026, 18:05:12] A: b"), Format::kWhatsapp);
  EXPECT_EQ(*DetectFormat("log", "11/29/26, 6:05 PM - A: b"), Format::kWhatsapp);
  EXPECT_EQ(*DetectFormat("log", "Author,Conversation,Time,Text\n"), Format::kCsv);
  auto bad = DetectFormat("log", "hello");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "log: cannot tell the chat format from its name or first bytes: give it (pan12, jsonl, csv or whatsapp)");
  EXPECT_FALSE(ParseFormat("xml").ok());
  EXPECT_EQ(*ParseFormat("whatsapp"), Format::kWhatsapp);
}

TEST(ValidateFile, CountsWithoutKeeping) {
  auto sum = ValidateFile(DataPath("jsonl_small.jsonl"));
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->format, Format::kJsonl);
  EXPECT_EQ(sum->conversations, 3u);
  EXPECT_EQ(sum->messages, 4u);
  auto missing = ValidateFile(DataPath("no_such_file.jsonl"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

long MaxRssKib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A 200 MB JSON-lines log of 20,000 conversations is read with memory far
// below its size: the reader holds one conversation at a time.
TEST(LargeFile, ReadInBoundedMemory) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "max RSS says nothing under AddressSanitizer: freed memory is held in its quarantine";
#endif
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / fmt::format("sg-chat-large-{}.jsonl", ::getpid());
  uint64_t bytes = 0, written_messages = 0;
  {
    std::ofstream out(path, std::ios::binary);
    const std::string filler(150, 'x');
    std::string buf;
    for (int c = 0; bytes < 200'000'000; ++c) {
      buf.clear();
      for (int m = 0; m < 50; ++m) {
        buf += fmt::format(R"({{"conversation": "conv-{}", "author": "user-{}", "time": "2026-11-29T18:{:02}:00Z", "text": "message {} {}"}})",
                           c, m % 2, m, m, filler);
        buf += '\n';
      }
      out << buf;
      bytes += buf.size();
      written_messages += 50;
    }
  }
  const long before = MaxRssKib();
  auto reader = OpenReader(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Conversation c;
  uint64_t messages = 0;
  while (true) {
    auto more = (*reader)->Next(c);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    messages += c.messages.size();
  }
  const long growth_kib = MaxRssKib() - before;
  fs::remove(path);
  EXPECT_EQ(messages, written_messages);
  // The file is ~195,000 KiB; one conversation is ~10 KiB.
  EXPECT_LT(growth_kib, 20 * 1024) << "max RSS grew by " << growth_kib << " KiB reading " << bytes << " bytes";
}

}  // namespace
}  // namespace sg::chat
