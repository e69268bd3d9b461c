// IdentifierTable: the rebuild's interning. Batched lookups must give what
// one lookup at a time gives, across the table's growth, with repeats inside
// a batch and texts that share a prefix or differ only in their kind.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "linking/identifier_table.h"

namespace sg::linking {
namespace {

struct Item {
  IdentifierKind kind;
  std::string value;
};

// 200,000 lookups over 60,000 distinct texts (the table grows many times),
// every value also under a second kind, IPv6 values with colons.
std::vector<Item> Items() {
  std::mt19937 rng(7);
  std::vector<Item> out;
  for (int i = 0; i < 200000; ++i) {
    const int n = static_cast<int>(rng() % 30000);
    switch (rng() % 4) {
      case 0: out.push_back({IdentifierKind::kEmail, "user" + std::to_string(n) + "@example.com"}); break;
      case 1: out.push_back({IdentifierKind::kDisplayName, "user" + std::to_string(n) + "@example.com"}); break;
      case 2: out.push_back({IdentifierKind::kIp, "2001:db8::" + std::to_string(n % 9999)}); break;
      default: out.push_back({IdentifierKind::kPhone, "+447700900" + std::to_string(n % 1000)}); break;
    }
  }
  return out;
}

TEST(IdentifierTable, BatchedInterningGivesTheNodesOfOneAtATime) {
  const std::vector<Item> items = Items();
  IdentifierTable single, batched;
  std::vector<uint32_t> want, got;
  for (const Item& it : items) want.push_back(single.Intern(it.kind, it.value));
  IdentifierTable::Batch batch;
  for (size_t i = 0; i < items.size(); ++i) {
    batch.Add(items[i].kind, items[i].value);
    if (batch.size() == IdentifierTable::Batch::kSize || i + 1 == items.size()) {
      batched.InternAll(batch, got);
      batch.Clear();
    }
  }
  ASSERT_EQ(got, want);
  ASSERT_EQ(batched.size(), single.size());
  EXPECT_GT(single.size(), 40000u);
  for (uint32_t node = 0; node < single.size(); ++node) {
    ASSERT_EQ(batched.Text(node), single.Text(node));
    ASSERT_EQ(batched.kind(node), single.kind(node));
    ASSERT_EQ(batched.Kind(node), KindName(single.kind(node)));
  }
  // A repeat inside one batch, new to the table, is added once.
  batch.Add(IdentifierKind::kEmail, "new@example.com");
  batch.Add(IdentifierKind::kEmail, "new@example.com");
  got.clear();
  batched.InternAll(batch, got);
  EXPECT_EQ(got[0], got[1]);
  EXPECT_EQ(got[0], single.size());
  EXPECT_EQ(batched.Value(got[0]), "new@example.com");
}

TEST(IdentifierTable, BatchedFindingGivesTheNodesOrNone) {
  const std::vector<Item> items = Items();
  IdentifierTable table;
  for (const Item& it : items) table.Intern(it.kind, it.value);
  IdentifierTable::Batch batch;
  std::vector<std::string> texts;
  for (uint32_t node = 0; node < table.size(); node += 3) texts.emplace_back(table.Text(node));
  texts.push_back("email:nobody@example.com");
  texts.push_back("phone:user1@example.com");  // a value known only under other kinds
  texts.push_back("ip:2001:db8::");             // a prefix of known texts
  std::vector<uint32_t> got;
  for (const std::string& t : texts) {
    const size_t colon = t.find(':');
    batch.AddText(t.substr(0, colon), t.substr(colon + 1));
    EXPECT_EQ(batch.Text(batch.size() - 1), t);
    if (batch.size() == IdentifierTable::Batch::kSize) {
      table.FindAll(batch, got);
      batch.Clear();
    }
  }
  table.FindAll(batch, got);
  ASSERT_EQ(got.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::optional<uint32_t> want = table.Find(texts[i]);
    ASSERT_EQ(got[i], want.value_or(IdentifierTable::kNone)) << texts[i];
  }
  EXPECT_EQ(got[texts.size() - 3], IdentifierTable::kNone);
  EXPECT_EQ(got[texts.size() - 2], IdentifierTable::kNone);
  EXPECT_EQ(got[texts.size() - 1], IdentifierTable::kNone);
  EXPECT_EQ(got[0], 0u);
}

}  // namespace
}  // namespace sg::linking
