#include "cli/ordered_pool.h"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

namespace sg::cli {
namespace {

TEST(OrderedPoolTest, EmitsInIndexOrderWhateverTheSchedule) {
  for (int threads : {1, 2, 7}) {
    std::vector<size_t> order;
    RunOrdered<int>(
        200, threads,
        [](size_t i) {
          // Early items are slow so later ones finish first.
          if (i % 17 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
          return static_cast<int>(i * 3);
        },
        [&](size_t i, int r) {
          EXPECT_EQ(r, static_cast<int>(i * 3));
          order.push_back(i);
        });
    ASSERT_EQ(order.size(), 200u);
    for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  }
}

TEST(OrderedPoolTest, EmptyInputEmitsNothing) {
  int calls = 0;
  RunOrdered<int>(0, 4, [](size_t) { return 0; }, [&](size_t, int) { ++calls; });
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace sg::cli
