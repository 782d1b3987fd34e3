// Closing link fds from several children at once (runtime/src/link_close.h): the children share
// the file table, so every fd is closed in this process too when the call returns.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <vector>

#include "link_close.h"

namespace {

bool is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

std::vector<int> open_pipes(int n) {
  std::vector<int> fds;
  for (int i = 0; i < n; i++) {
    int p[2];
    if (pipe(p) != 0) break;
    fds.push_back(p[0]);
    fds.push_back(p[1]);
  }
  return fds;
}

TEST(RuntimeLinkClose, EveryFdIsClosedHereWhenItReturns) {
  std::vector<int> fds = open_pipes(20);  // 40 fds: more than one batch of children
  ASSERT_EQ(fds.size(), 40u);
  for (int fd : fds) ASSERT_TRUE(is_open(fd));
  btc::rt::close_all_at_once(fds);
  for (int fd : fds) EXPECT_FALSE(is_open(fd)) << fd;
}

TEST(RuntimeLinkClose, OneFdIsClosedDirectly) {
  std::vector<int> fds = open_pipes(1);
  ASSERT_EQ(fds.size(), 2u);
  btc::rt::close_all_at_once({fds[0]});
  EXPECT_FALSE(is_open(fds[0]));
  EXPECT_TRUE(is_open(fds[1]));
  close(fds[1]);
}

}  // namespace
