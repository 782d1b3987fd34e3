// uprobe:*:glob with -p: finding the glob's functions in the files a process maps
// (runtime/src/uprobe_process_matches.h), here in this test program itself.
#include "uprobe_process_matches.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>

namespace btc::rt {
namespace {

std::string own_executable() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

TEST(UprobeProcessMatches, FindsFunctionsInTheProcessExecutable) {
  int pid = static_cast<int>(getpid());
  auto files = find_process_matches(pid, "_ZN3btc2rt20find_process_matches*");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "/proc/" + std::to_string(pid) + "/root" + own_executable());
  ASSERT_EQ(files[0].funcs.size(), 1u);
  EXPECT_EQ(files[0].funcs[0].rfind("_ZN3btc2rt20find_process_matches", 0), 0u);
  ASSERT_EQ(files[0].offsets.size(), 1u);
  EXPECT_GT(files[0].offsets[0], 0u);
}

// -c CMD: the command's executable alone, named by its own path.
TEST(UprobeProcessMatches, FindsFunctionsInOneFile) {
  auto files = find_file_matches(own_executable(), "_ZN3btc2rt17find_file_matches*");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, own_executable());
  ASSERT_EQ(files[0].funcs.size(), 1u);
  EXPECT_TRUE(find_file_matches(own_executable(), "btc_no_function_is_named_like_this*").empty());
  EXPECT_TRUE(find_file_matches("/nonexistent/btc/file", "*").empty());
}

TEST(UprobeProcessMatches, NoMatchNoFiles) {
  EXPECT_TRUE(find_process_matches(static_cast<int>(getpid()), "btc_no_function_is_named_like_this*").empty());
}

TEST(UprobeProcessMatches, GoneProcessHasNoFiles) { EXPECT_TRUE(find_process_matches(INT_MAX, "*").empty()); }

}  // namespace
}  // namespace btc::rt
