#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "matching/list_reader.h"

namespace sg::matching {
namespace {

const std::string kMd5 = "0123456789abcdef0123456789abcdef";
const std::string kSha1 = "0123456789abcdef0123456789abcdef01234567";
const std::string kPdq(64, 'f');

struct Read {
  Status status;
  std::vector<ListEntry> entries;
  std::vector<int64_t> lines;
};

Read ReadText(ListFormat format, std::string_view text) {
  auto src = LineSource::FromString("list.txt", std::string(text));
  Read r;
  r.status = ReadList(format, *src, [&](ListEntry&& e, int64_t line) {
    r.entries.push_back(std::move(e));
    r.lines.push_back(line);
    return Status::Ok();
  });
  return r;
}

TEST(LineListTest, HexWithLabelsCommentsAndBlankLines) {
  Read r = ReadText(ListFormat::kHex, "# a comment\n\n" + kPdq + ",series one\r\n  " +
                                          std::string(64, 'A') + "  \n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].pdq, kPdq);
  EXPECT_EQ(r.entries[0].label, "series one");
  EXPECT_EQ(r.entries[1].pdq, std::string(64, 'a'));
  EXPECT_EQ(r.lines, (std::vector<int64_t>{3, 4}));
}

TEST(LineListTest, CryptoFormatsCheckTheLength) {
  EXPECT_TRUE(ReadText(ListFormat::kMd5, kMd5 + "\n").status.ok());
  EXPECT_TRUE(ReadText(ListFormat::kSha1, kSha1 + "\n").status.ok());
  Read bad = ReadText(ListFormat::kSha1, kSha1 + "\n" + kMd5 + "\n");
  ASSERT_FALSE(bad.status.ok());
  EXPECT_EQ(bad.status.message().rfind("list.txt:2: ", 0), 0u) << bad.status.message();
  EXPECT_NE(bad.status.message().find("40 hex digits"), std::string::npos);
}

TEST(LineListTest, NonHexIsRejectedWithItsLine) {
  Read r = ReadText(ListFormat::kHex, kPdq + "\n" + std::string(63, 'f') + "g\n");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message().rfind("list.txt:2: ", 0), 0u) << r.status.message();
}

TEST(LineListTest, ThreatExchangeLines) {
  Read r = ReadText(ListFormat::kTe, "pdq " + kPdq + "\nPDQ\t" + kPdq + " tag1 tag2\nmd5 " + kMd5 + "\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[1].label, "tag1 tag2");
  EXPECT_EQ(r.entries[2].md5, kMd5);
  Read bad = ReadText(ListFormat::kTe, "photodna " + kPdq + "\n");
  ASSERT_FALSE(bad.status.ok());
  EXPECT_NE(bad.status.message().find("list.txt:1: unknown hash type"), std::string::npos);
  EXPECT_FALSE(ReadText(ListFormat::kTe, kPdq + "\n").status.ok());
}

TEST(CsvListTest, HeaderInAnyOrderQuotedFieldsAndMetadata) {
  std::string csv = "Category,PDQ,md5,note\nA," + kPdq + ",,\"hello, \"\"world\"\"\"\nB,," + kMd5 + ",\"two\nlines\"\n";
  Read r = ReadText(ListFormat::kCsv, csv);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].category, "A");
  EXPECT_EQ(r.entries[0].pdq, kPdq);
  EXPECT_FALSE(r.entries[0].md5.has_value());
  EXPECT_EQ(boost::json::parse(r.entries[0].metadata).at("note").as_string(), "hello, \"world\"");
  EXPECT_EQ(boost::json::parse(r.entries[1].metadata).at("note").as_string(), "two\nlines");
  EXPECT_EQ(r.lines, (std::vector<int64_t>{2, 3}));
}

TEST(CsvListTest, Errors) {
  auto message = [](std::string csv) { return ReadText(ListFormat::kCsv, csv).status.message(); };
  EXPECT_EQ(message(""), "list.txt:1: empty file: expected a CSV header");
  EXPECT_NE(message("category,label\nA,x\n").find("list.txt:1: the header names no hash column"), std::string::npos);
  EXPECT_NE(message("md5,category\n" + kMd5 + ",A\n" + kMd5 + "\n" ).find("list.txt:3: 1 fields, but the header has 2"),
            std::string::npos);
  EXPECT_NE(message("md5,category\n,A\n").find("list.txt:2: no hash in this row"), std::string::npos);
  EXPECT_NE(message("md5\n\"" + kMd5 + "\n").find("list.txt:2: unterminated quoted field"), std::string::npos);
  EXPECT_NE(message("md5,md5\n").find("twice"), std::string::npos);
  EXPECT_NE(message("md5,victim_identified\n" + kMd5 + ",maybe\n").find("list.txt:2: victim_identified"),
            std::string::npos);
}

TEST(VicsTest, Version13AndVersion20) {
  std::string v13 = R"({"odata.metadata": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/1.3.xml#Media",
  "value": [
    {"MediaID": 1, "Category": 1, "MD5": ")" + std::string("0123456789ABCDEF0123456789ABCDEF") + R"(",
     "SHA1": ")" + kSha1 + R"(", "Series": "S-7", "VictimIdentified": true, "MediaSize": 2835},
    {"MediaID": 2, "Category": 3, "MD5": ")" + kMd5 + R"(", "VictimIdentified": "false", "Exifs": [{"k": 1}]}
  ]})";
  Read r = ReadText(ListFormat::kVics, v13);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].md5, kMd5);
  EXPECT_EQ(r.entries[0].sha1, kSha1);
  EXPECT_EQ(r.entries[0].category, "1");
  EXPECT_EQ(r.entries[0].series, "S-7");
  EXPECT_EQ(r.entries[0].victim_identified, true);
  EXPECT_EQ(boost::json::parse(r.entries[0].metadata).at("MediaSize").as_int64(), 2835);
  EXPECT_EQ(r.entries[1].victim_identified, false);
  EXPECT_EQ(r.lines, (std::vector<int64_t>{3, 5}));

  std::string v20 = R"({"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/CUSTOM/$metadata#Cases",
    "value": [{"CaseID": 9, "Media": [{"MD5": ")" + kMd5 + R"(", "Category": 2}, {"SHA1": ")" + kSha1 + R"("}]}]})";
  Read c = ReadText(ListFormat::kVics, v20);
  ASSERT_TRUE(c.status.ok()) << c.status.ToString();
  ASSERT_EQ(c.entries.size(), 2u);
  EXPECT_EQ(c.entries[0].category, "2");
  EXPECT_EQ(c.entries[1].sha1, kSha1);
}

TEST(VicsTest, ErrorsNameTheLineAndField) {
  auto message = [](std::string json) { return ReadText(ListFormat::kVics, json).status.message(); };
  EXPECT_EQ(message("[1]"), "list.txt:1: not a VICS export: expected a JSON object at the top");
  EXPECT_EQ(message("{\"a\": 1}"), "list.txt:1: not a VICS export: no top-level 'value' array");
  EXPECT_NE(message("{\"value\": [\n{\"MD5\": \"abc\"}]}").find("list.txt:2: value[0].MD5: 'abc' is not a MD5 hash"),
            std::string::npos);
  EXPECT_NE(message("{\"value\": [\n{\"MD5\": \"" + kMd5 + "\"},\n{\"Category\": 1}\n]}").find(
                "list.txt:3: value[1]: a Media entry without MD5"),
            std::string::npos);
  EXPECT_NE(message("{\"value\": [\n{\"MD5\": 5}]}").find("list.txt:2: value[0].MD5: must be a string"),
            std::string::npos);
  EXPECT_NE(message("{\"value\": [\n{\"MD5\": \"" + kMd5 + "\",,}]}").find("list.txt:2: invalid JSON"),
            std::string::npos);
  EXPECT_NE(message("{\"value\": [\n{\"MD5\": \"" + kMd5 + "\"}\n").find("list.txt:2: invalid JSON"),
            std::string::npos);
  EXPECT_EQ(message(""), "list.txt:1: empty file: expected a VICS JSON export");
}

TEST(VicsTest, SinkErrorsGetTheEntryLine) {
  auto src = LineSource::FromString("v.json", "{\"value\": [\n{\"MD5\": \"" + kMd5 + "\"}]}");
  Status s = ReadList(ListFormat::kVics, *src, [](ListEntry&&, int64_t) { return InvalidArgument("bad category"); });
  EXPECT_EQ(s.message(), "v.json:2: bad category");
}

}  // namespace
}  // namespace sg::matching
