// path_seen_by: binaries of a -p process in another mount namespace (a container).
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "mount_namespace.h"

using btc::rt::path_seen_by;

TEST(MountNamespace, SameNamespaceKeepsThePath) {
  EXPECT_EQ(path_seen_by(getpid(), "/usr/bin/true"), "/usr/bin/true");
  EXPECT_EQ(path_seen_by(getpid(), "./prog"), "./prog");
}

TEST(MountNamespace, NoPidKeepsThePath) {
  EXPECT_EQ(path_seen_by(0, "/usr/bin/true"), "/usr/bin/true");
  EXPECT_EQ(path_seen_by(-1, "/usr/bin/true"), "/usr/bin/true");
}

TEST(MountNamespace, UnknownProcessKeepsThePath) {
  EXPECT_EQ(path_seen_by(0x3fffffff, "/usr/bin/true"), "/usr/bin/true");
}

// A child in its own mount namespace sees files under /proc/PID/root.
TEST(MountNamespace, OtherNamespaceGoesThroughProcRoot) {
  int ready[2], release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(release[1]);  // EOF on release[0] once the parent closes its end
    char ok = unshare(CLONE_NEWNS) == 0 ? 'y' : 'n';
    if (write(ready[1], &ok, 1) != 1) _exit(1);
    char c;
    (void)!read(release[0], &c, 1);
    _exit(0);
  }
  char ok = 'n';
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  std::string root = "/proc/" + std::to_string(child) + "/root";
  std::string absolute = path_seen_by(child, "/usr/bin/true");
  std::string relative = path_seen_by(child, "testprogs/prog");
  std::string already = path_seen_by(child, root + "/bin/sh");
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
  waitpid(child, nullptr, 0);
  if (ok != 'y') GTEST_SKIP() << "unshare(CLONE_NEWNS) needs CAP_SYS_ADMIN";
  EXPECT_EQ(absolute, root + "/usr/bin/true");
  EXPECT_EQ(relative, root + "/testprogs/prog");
  EXPECT_EQ(already, root + "/bin/sh");
}
