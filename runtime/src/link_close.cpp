#include "link_close.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace btc::rt {

// How many closers run at once. Each is a kernel task for the length of one grace period
// (~30 ms); 256 close every link of `tracepoint:syscalls:sys_enter_*` (361 here) in two rounds.
static constexpr size_t kParallelCloses = 256;
// A closer runs clone()'s return path, close_one() and one system call on its own stack.
static constexpr size_t kCloserStack = 8192;

// close(2) without libc's wrapper, which may write errno: a closer shares this process's memory,
// thread-local storage included, and this thread is busy in waitpid() meanwhile.
static long raw_close(long fd) {
#if defined(__x86_64__)
  long ret;
  asm volatile("syscall" : "=a"(ret) : "a"(static_cast<long>(SYS_close)), "D"(fd) : "rcx", "r11", "memory");
  return ret;
#elif defined(__aarch64__)
  register long x8 asm("x8") = SYS_close;
  register long x0 asm("x0") = fd;
  asm volatile("svc 0" : "+r"(x0) : "r"(x8) : "memory");
  return x0;
#else
  return syscall(SYS_close, fd);
#endif
}

static int close_one(void *fd) {
  raw_close(static_cast<int>(reinterpret_cast<intptr_t>(fd)));
  return 0;  // clone() ends the task with an exit system call
}

// Starts closers for fds[first, last): tasks that share this process's memory (no copy of the
// address space to make) and file table (what they close is closed here). Fds no closer could be
// started for are closed here. Returns the closers' pids.
static std::vector<pid_t> start_closers(const std::vector<int> &fds, size_t first, size_t last, char *stacks) {
  std::vector<pid_t> pids;
  for (size_t i = first; i < last; i++) {
    char *top = stacks + (i - first + 1) * kCloserStack;
    void *arg = reinterpret_cast<void *>(static_cast<intptr_t>(fds[i]));
    pid_t pid = clone(close_one, top, CLONE_VM | CLONE_FILES | SIGCHLD, arg);
    if (pid > 0)
      pids.push_back(pid);
    else
      close(fds[i]);
  }
  return pids;
}

void close_all_at_once(const std::vector<int> &fds) {
  size_t at_once = fds.size() < kParallelCloses ? fds.size() : kParallelCloses;
  void *stacks = fds.size() < 2 ? MAP_FAILED
                                : mmap(nullptr, at_once * kCloserStack, PROT_READ | PROT_WRITE,
                                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stacks == MAP_FAILED) {
    for (int fd : fds) close(fd);
    return;
  }
  // The closers start with every signal blocked: none runs a handler on its small stack.
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  for (size_t first = 0; first < fds.size(); first += kParallelCloses) {
    size_t last = first + kParallelCloses < fds.size() ? first + kParallelCloses : fds.size();
    for (pid_t pid : start_closers(fds, first, last, static_cast<char *>(stacks)))
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  munmap(stacks, at_once * kCloserStack);
}

}  // namespace btc::rt
