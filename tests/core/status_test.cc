#include "core/result.h"
#include "core/status.h"

#include <gtest/gtest.h>

namespace sg {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, WithContextPrefixesWhere) {
  Status s = DataLoss("truncated JPEG data").WithContext("photo.jpg");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_EQ(s.message(), "photo.jpg: truncated JPEG data");
  EXPECT_TRUE(Status().WithContext("x").ok());
}

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  SG_ASSIGN_OR_RETURN(int h, Half(x));
  SG_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, CarriesValueOrStatus) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "odd");
  EXPECT_TRUE(Quarter(4).status().ok());
}

}  // namespace
}  // namespace sg
