#include "cli/file_walk.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace sg::cli {
namespace {
namespace fs = std::filesystem;

class FileWalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("walk_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "b" / "deep");
    fs::create_directories(root_ / "a");
    for (auto rel : {"z.txt", "a/2.jpg", "a/10.jpg", "b/deep/x.png", "b/c.gif"}) std::ofstream(root_ / rel) << "x";
    fs::create_symlink(root_ / "z.txt", root_ / "link.txt");
    fs::create_directory_symlink(root_ / "a", root_ / "linkdir");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(FileWalkTest, WalksSortedAndSkipsLinks) {
  WalkResult w = ExpandPaths({root_.string()}, true);
  std::vector<std::string> rel;
  for (auto& e : w.entries) {
    EXPECT_TRUE(e.error.ok());
    rel.push_back(fs::relative(e.path, root_).string());
  }
  EXPECT_EQ(rel, (std::vector<std::string>{"a/10.jpg", "a/2.jpg", "b/c.gif", "b/deep/x.png", "z.txt"}));
  EXPECT_EQ(w.skipped_links, 2u);
}

TEST_F(FileWalkTest, CommandLineOrderIsKept) {
  WalkResult w = ExpandPaths({(root_ / "z.txt").string(), (root_ / "a/2.jpg").string()}, false);
  ASSERT_EQ(w.entries.size(), 2u);
  EXPECT_EQ(fs::path(w.entries[0].path).filename(), "z.txt");
  EXPECT_EQ(fs::path(w.entries[1].path).filename(), "2.jpg");
}

TEST_F(FileWalkTest, DirectoryWithoutRecursiveAndMissingPathsAreErrors) {
  WalkResult w = ExpandPaths({root_.string(), (root_ / "nope").string()}, false);
  ASSERT_EQ(w.entries.size(), 2u);
  EXPECT_NE(w.entries[0].error.message().find("-r"), std::string::npos);
  EXPECT_EQ(w.entries[1].error.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sg::cli
