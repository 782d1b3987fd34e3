// Closing link fds from several tasks at once (runtime/src/link_close.h): the tasks share the
// file table, so every fd is closed in this process too when the call returns.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
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
  std::vector<int> fds = open_pipes(20);
  ASSERT_EQ(fds.size(), 40u);
  for (int fd : fds) ASSERT_TRUE(is_open(fd));
  btc::rt::close_all_at_once(fds);
  for (int fd : fds) EXPECT_FALSE(is_open(fd)) << fd;
}

TEST(RuntimeLinkClose, MoreFdsThanOneRoundOfClosersAreAllClosed) {
  std::vector<int> fds = open_pipes(300);  // 600 fds: three rounds of 256 closers
  ASSERT_EQ(fds.size(), 600u);
  btc::rt::close_all_at_once(fds);
  for (int fd : fds) EXPECT_FALSE(is_open(fd)) << fd;
}

// The closers run with every signal blocked; the caller's mask is back when the call returns,
// and a signal that arrived meanwhile is still pending, not lost.
TEST(RuntimeLinkClose, SignalMaskIsRestoredAndSignalsStayPending) {
  sigset_t usr1, before, after, pending;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &usr1, &before), 0);
  ASSERT_EQ(raise(SIGUSR1), 0);
  std::vector<int> fds = open_pipes(4);
  btc::rt::close_all_at_once(fds);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, nullptr, &after), 0);
  EXPECT_EQ(sigismember(&after, SIGUSR1), 1);
  EXPECT_EQ(sigismember(&after, SIGUSR2), sigismember(&before, SIGUSR2));
  ASSERT_EQ(sigpending(&pending), 0);
  EXPECT_EQ(sigismember(&pending, SIGUSR1), 1);
  struct timespec zero = {0, 0};
  EXPECT_EQ(sigtimedwait(&usr1, nullptr, &zero), SIGUSR1);  // consume it
  sigprocmask(SIG_SETMASK, &before, nullptr);
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
