// cgroupid(): the runtime's lookup of a cgroup's id from its path (runtime/src/cgroup_id.h).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "cgroup_id.h"

namespace btc::rt {
namespace {

// Where cgroup v2 is mounted on this machine, "" when it is not.
std::string cgroup2_mount() {
  std::ifstream mounts("/proc/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string device, dir, type;
    fields >> device >> dir >> type;
    if (type == "cgroup2") return dir;
  }
  return "";
}

TEST(RuntimeCgroupId, IsTheCgroupDirectorysInode) {
  std::string dir = cgroup2_mount();
  if (dir.empty()) GTEST_SKIP() << "no cgroup v2 mount";
  struct stat st {};
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  std::string error;
  auto id = cgroup_id_of(dir, error);
  ASSERT_TRUE(id) << error;
  EXPECT_EQ(*id, st.st_ino);  // kernfs numbers a cgroup's directory inode by its id
}

TEST(RuntimeCgroupId, MissingPathSaysWhy) {
  std::string error;
  EXPECT_FALSE(cgroup_id_of("/sys/fs/cgroup/btc-no-such-cgroup", error));
  EXPECT_EQ(error,
            "Failed to get `cgroupid` for path: \"/sys/fs/cgroup/btc-no-such-cgroup\": No such file or directory");
}

}  // namespace
}  // namespace btc::rt
