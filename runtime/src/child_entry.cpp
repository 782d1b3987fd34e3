// ChildProcess::run_to_entry(): the -c child executes its command under ptrace and stops at the
// executable's entry point, as bpftrace does for dw_ustack: by then the dynamic loader has mapped
// the shared libraries, whose unwind tables the tool reads before the program runs on.
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "child_process.h"

namespace btc::rt {

// AT_ENTRY of process pid (0: unknown).
static uint64_t entry_point(pid_t pid) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/auxv", static_cast<int>(pid));
  FILE *f = fopen(path, "re");
  if (!f) return 0;
  uint64_t entry = 0, pair[2];
  while (fread(pair, sizeof(pair), 1, f) == 1 && pair[0] != AT_NULL)
    if (pair[0] == AT_ENTRY) entry = pair[1];
  fclose(f);
  return entry;
}

// Waits until the traced child stops for `want` (a ptrace event stop status >> 8, or a signal),
// passing other signals on to it. False when it exited instead.
static bool wait_stop(pid_t pid, int want) {
  for (;;) {
    int status;
    if (waitpid(pid, &status, 0) < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (!WIFSTOPPED(status)) return false;
    if ((status >> 8) == want) return true;
    int sig = WSTOPSIG(status);
    if (ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void *>(static_cast<long>(sig))) != 0) return false;
  }
}

bool ChildProcess::run_to_entry(std::string &error) {
  if (pid_ < 0 || go_fd_ < 0) return true;
  if (ptrace(PTRACE_SEIZE, pid_, nullptr, reinterpret_cast<void *>(PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)) != 0) {
    error = std::string("cannot trace the child to its entry point: ") + strerror(errno);
    return false;
  }
  release();
  bool execed = wait_stop(pid_, SIGTRAP | (PTRACE_EVENT_EXEC << 8));
  int err = exec_error();
  if (err || !execed) {
    error = std::string("failed to run child: ") + strerror(err ? err : ECHILD);
    return false;
  }

  // A breakpoint at the entry point, removed once hit.
  uint64_t entry = entry_point(pid_);
  errno = 0;
  long word = entry ? ptrace(PTRACE_PEEKTEXT, pid_, reinterpret_cast<void *>(entry), nullptr) : -1;
  if (!entry || errno != 0) {
    error = "cannot find the child's entry point";
    return false;
  }
  long trap = (word & ~0xffL) | 0xcc;
  user_regs_struct regs;
  if (ptrace(PTRACE_POKETEXT, pid_, reinterpret_cast<void *>(entry), reinterpret_cast<void *>(trap)) != 0 ||
      ptrace(PTRACE_CONT, pid_, nullptr, nullptr) != 0 || !wait_stop(pid_, SIGTRAP) ||
      ptrace(PTRACE_POKETEXT, pid_, reinterpret_cast<void *>(entry), reinterpret_cast<void *>(word)) != 0 ||
      ptrace(PTRACE_GETREGS, pid_, nullptr, &regs) != 0) {
    error = std::string("cannot run the child to its entry point: ") + strerror(errno ? errno : ECHILD);
    return false;
  }
  regs.rip = entry;  // back onto the restored instruction
  if (ptrace(PTRACE_SETREGS, pid_, nullptr, &regs) != 0) {
    error = std::string("cannot run the child to its entry point: ") + strerror(errno);
    return false;
  }
  stopped_at_entry_ = true;
  return true;
}

}  // namespace btc::rt
