#include "target_process.h"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

namespace btc::rt {

TargetProcess::~TargetProcess() {
  if (pidfd_ >= 0) close(pidfd_);
}

bool TargetProcess::open(pid_t pid, std::string &error) {
  pid_ = pid;
  pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd_ >= 0) return true;
  int err = errno;
  if (err == ENOSYS && (kill(pid, 0) == 0 || errno == EPERM)) return true;
  error = "failed to attach to pid " + std::to_string(pid) + ": " + strerror(err == ENOSYS ? errno : err);
  return false;
}

bool TargetProcess::exited() const {
  if (pid_ <= 0) return false;
  if (pidfd_ < 0) return kill(pid_, 0) != 0 && errno == ESRCH;
  struct pollfd p = {pidfd_, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

}  // namespace btc::rt
