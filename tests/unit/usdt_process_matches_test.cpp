// usdt:*:provider:name with -p: reading .note.stapsdt (runtime/src/usdt_notes.h) and finding a
// glob's probes in the files a process maps (runtime/src/usdt_process_matches.h), here in this
// test program itself, which carries the USDT probes below.
#include "usdt_process_matches.h"

#include <gtest/gtest.h>
#include <sys/sdt.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>

#include "usdt_notes.h"

namespace btc::rt {
namespace {

// btc_unit:twice has two locations, btc_unit:once and btc_unit_other:once one each.
[[gnu::noinline]] void fire_probes(long x) {
  DTRACE_PROBE1(btc_unit, twice, x);
  DTRACE_PROBE2(btc_unit, once, x, x + 1);
  DTRACE_PROBE1(btc_unit, twice, x + 2);
  DTRACE_PROBE(btc_unit_other, once);
}

std::string own_executable() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

size_t count_notes(const std::vector<UsdtNote> &notes, const std::string &provider, const std::string &name) {
  return std::count_if(notes.begin(), notes.end(),
                       [&](const UsdtNote &n) { return n.provider == provider && n.name == name; });
}

TEST(UsdtNotes, OneNotePerLocation) {
  fire_probes(1);
  auto notes = read_usdt_notes(own_executable());
  ASSERT_TRUE(notes.has_value());
  EXPECT_EQ(count_notes(*notes, "btc_unit", "twice"), 2u);
  EXPECT_EQ(count_notes(*notes, "btc_unit", "once"), 1u);
  EXPECT_EQ(count_notes(*notes, "btc_unit_other", "once"), 1u);
}

TEST(UsdtNotes, NotElfIsNullopt) {
  char path[] = "/tmp/btc_usdt_notes_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "not an ELF file\n", 16), 16);
  close(fd);
  EXPECT_FALSE(read_usdt_notes(path).has_value());
  unlink(path);
  EXPECT_FALSE(read_usdt_notes("/nonexistent/btc/file").has_value());
}

TEST(UsdtProcessMatches, GlobsOverProviderAndName) {
  int pid = static_cast<int>(getpid());
  std::string path = "/proc/" + std::to_string(pid) + "/root" + own_executable();
  auto matches = find_usdt_matches(pid, "btc_unit*", "once");
  ASSERT_EQ(matches.size(), 2u);  // sorted by provider
  EXPECT_EQ(matches[0].path, path);
  EXPECT_EQ(matches[0].provider, "btc_unit");
  EXPECT_EQ(matches[0].name, "once");
  EXPECT_EQ(matches[1].provider, "btc_unit_other");
  EXPECT_EQ(matches[1].locations, 1u);

  matches = find_usdt_matches(pid, "btc_unit", "*");
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].name, "once");
  EXPECT_EQ(matches[1].name, "twice");
  EXPECT_EQ(matches[1].locations, 2u);  // one match, however many places fire it
}

// -c CMD: the command's executable alone, named by its own path.
TEST(UsdtProcessMatches, FindsProbesInOneFile) {
  auto matches = find_usdt_file_matches(own_executable(), "btc_unit", "tw*");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].path, own_executable());
  EXPECT_EQ(matches[0].name, "twice");
  EXPECT_EQ(matches[0].locations, 2u);
  EXPECT_TRUE(find_usdt_file_matches("/nonexistent/btc/file", "*", "*").empty());
}

TEST(UsdtProcessMatches, NoMatch) {
  EXPECT_TRUE(find_usdt_matches(static_cast<int>(getpid()), "btc_unit", "no_such_probe*").empty());
  EXPECT_TRUE(find_usdt_matches(INT_MAX, "*", "*").empty());  // no such process
}

}  // namespace
}  // namespace btc::rt
