// Malformed chat logs: every error names FILE:LINE and why; conversations
// before it were yielded; the error repeats on later calls.
#include <gtest/gtest.h>

#include "import_test_util.h"

namespace sg::chat {
namespace {

using testing::ReadString;

struct BadCase {
  std::string name;     // the file name (extension picks the format)
  std::string content;
  std::string error;    // the exact message
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name << " -> " << c.error; }

class ImportErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ImportErrorTest, NamesFileAndLine) {
  const BadCase& c = GetParam();
  auto out = ReadString(c.name, c.content, "");
  EXPECT_EQ(out.error, c.error);
}

const std::string kXmlHead = "<?xml version=\"1.0\"?>\n<conversations>\n";

INSTANTIATE_TEST_SUITE_P(
    Formats, ImportErrorTest,
    ::testing::Values(
        BadCase{"a.xml", kXmlHead + "<conversation id=\"1\">\n<message><text>x</author></message>\n",
                "a.xml:4: XML: mismatched tag"},
        BadCase{"a.xml", kXmlHead + "<conversation>\n", "a.xml:3: <conversation> without an id"},
        BadCase{"a.xml", "<chats/>", "a.xml:1: the root element is <chats>, not <conversations>"},
        BadCase{"a.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<conversations/>",
                "a.xml:2: a DOCTYPE is not allowed in a PAN-2012 file"},
        BadCase{"a.xml", kXmlHead + "<conversation id=\"1\"><message><text>x</text></message></conversation>\n",
                "a.xml:4: XML: no element found"},
        BadCase{"a.xml", "", "a.xml:1: XML: no element found"},
        BadCase{"a.jsonl", "{\"conversation\": \"c\", \"author\": \"a\", \"time\": null, \"text\": \"t\"}\n\n[1]\n",
                "a.jsonl:3: not a JSON object"},
        BadCase{"a.jsonl", "{\"conversation\": \"c\", \"author\": \"a\", \"time\": null, \"text\": \"t\"\n",
                "a.jsonl:1: not a JSON object: incomplete JSON"},
        BadCase{"a.jsonl", "{\"conversation\": \"c\", \"time\": null, \"text\": \"t\"}\n", "a.jsonl:1: missing \"author\""},
        BadCase{"a.jsonl", "{\"conversation\": \"c\", \"author\": \"a\", \"text\": \"t\"}\n",
                "a.jsonl:1: missing \"time\" (null or \"\" when unknown)"},
        BadCase{"a.jsonl", "{\"conversation\": [], \"author\": \"a\", \"time\": null, \"text\": \"t\"}\n",
                "a.jsonl:1: \"conversation\" is not a string or an integer"},
        BadCase{"a.jsonl", "{\"conversation\": \"c\", \"author\": \"a\", \"time\": \"2026-11-29 18:00\", \"text\": 5}\n",
                "a.jsonl:1: \"text\" is not a string"},
        BadCase{"a.jsonl", "{\"conversation\": \"c\", \"author\": \"a\", \"time\": \"yesterday\", \"text\": \"t\"}\n",
                "a.jsonl:1: time: 'yesterday' is not an RFC 3339 time: expected YYYY-MM-DDTHH:MM:SS[.fraction] and Z or +HH:MM"},
        BadCase{"a.csv", "author,time,text\nx,,y\n",
                "a.csv:1: header has no 'conversation' column (needs conversation, author, time, text)"},
        BadCase{"a.csv", "conversation,author,time,text,Author\n",
                "a.csv:1: header names column 'author' twice"},
        BadCase{"a.csv", "", "a.csv:1: empty file: expected a CSV header"},
        BadCase{"a.csv", "conversation,author,time,text\nc,a,,t\nc,a,t\n", "a.csv:3: 3 fields, but the header has 4"},
        BadCase{"a.csv", "conversation,author,time,text\nc,a,,\"t\nmore\n", "a.csv:2: unterminated quoted field"},
        BadCase{"a.csv", "conversation,author,time,text\nc,a,,\"t\" x\n", "a.csv:2: text after a closing quote"},
        BadCase{"a.csv", "conversation,author,time,text\nc,a,,t\"x\"\n", "a.csv:2: a quote inside an unquoted field"},
        BadCase{"a.csv", "conversation,author,time,text\n,a,,t\n", "a.csv:2: empty conversation"},
        BadCase{"a.csv", "conversation,author,time,text\nc,a,2026-13-01T00:00:00Z,t\n",
                "a.csv:2: time: '2026-13-01T00:00:00Z' is not an RFC 3339 time: month 13 does not exist"},
        BadCase{"a.txt", "\nhello there\n",
                "a.txt:2: not a WhatsApp chat export: expected \"[DATE, TIME] NAME: TEXT\" or \"DATE, TIME - NAME: TEXT\""},
        BadCase{"a.txt", "", "a.txt:1: empty WhatsApp export"},
        BadCase{"a.txt", "29/11/2026, 18:05 - A: x\n11/30/2026, 18:05 - B: y\n",
                "a.txt:2: dates are day-first at line 1 but month-first at line 2"},
        BadCase{"a.txt", "29/11/2026, 18:05 - A: x\n31/02/2026, 18:05 - B: y\n",
                "a.txt:2: no such date: day 31 of month 2 in 2026 (read day-first)"},
        BadCase{"a.txt", "29/11/2026, 25:05 - A: x\n", "a.txt:1: no such time 25:05:00"},
        BadCase{"a.txt", "11/29/26, 13:05 PM - A: x\n", "a.txt:1: no hour 13 on a 12-hour clock"}));

TEST(ImportErrors, ConversationsBeforeTheErrorAreYieldedAndTheErrorRepeats) {
  const std::string jsonl =
      "{\"conversation\": \"c1\", \"author\": \"a\", \"time\": null, \"text\": \"t\"}\n"
      "{\"conversation\": \"c2\", \"author\": \"a\", \"time\": null, \"text\": \"t\"}\n"
      "not json\n";
  auto reader = OpenReaderFromString("log.jsonl", jsonl);
  ASSERT_TRUE(reader.ok());
  Conversation c;
  auto first = (*reader)->Next(c);
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ(c.id, "c1");
  auto second = (*reader)->Next(c);  // c2 is not known complete before line 3 is read
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message().substr(0, 12), "log.jsonl:3:");
  auto again = (*reader)->Next(c);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), second.status().message());
}

TEST(ImportErrors, OverlongLineIsAnError) {
  std::string line(17u << 20, 'x');
  auto out = ReadString("big.jsonl", "\n" + line + "\n", "jsonl");
  EXPECT_EQ(out.error, "big.jsonl:2: line longer than 16 MiB");
  auto unterminated = ReadString("big.jsonl", "\n" + line, "jsonl");
  EXPECT_EQ(unterminated.error, "big.jsonl:2: line longer than 16 MiB");
}

TEST(ImportErrors, InvalidUtf8IsReplacedNotRejected) {
  auto jsonl = ReadString("a.jsonl", "{\"conversation\": \"c\", \"author\": \"a\\u00e9\xC3\", \"time\": null, \"text\": \"x\xFFy\"}\n", "");
  ASSERT_EQ(jsonl.error, "");
  EXPECT_EQ(jsonl.conversations[0].messages[0].text, "x\xEF\xBF\xBDy");
  auto csv = ReadString("a.csv", "conversation,author,time,text\nc\xFE,a,,t\n", "");
  ASSERT_EQ(csv.error, "");
  EXPECT_EQ(csv.conversations[0].id, "c\xEF\xBF\xBD");
  auto wa = ReadString("a.txt", "29/11/2026, 18:05 - A\xC0: x\x80\n", "");
  ASSERT_EQ(wa.error, "");
  EXPECT_EQ(wa.conversations[0].messages[0].author, "A\xEF\xBF\xBD");
  EXPECT_EQ(wa.conversations[0].messages[0].text, "x\xEF\xBF\xBD");
}

}  // namespace
}  // namespace sg::chat
