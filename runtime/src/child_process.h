// -c 'CMD': the command runs as a child of the tool. It is forked before the
// BPF object is loaded (so that its pid can become `cpid`), waits on a pipe
// while the probes are attached, and only then executes CMD. The tool stops
// when the child exits; a child still running when the tool stops gets
// SIGTERM (and SIGKILL if it ignores that).
#ifndef BTC_RT_CHILD_PROCESS_H
#define BTC_RT_CHILD_PROCESS_H

#include <sys/types.h>

#include <string>
#include <vector>

namespace btc::rt {

// CMD split at spaces and tabs, as bpftrace does (no shell quoting).
std::vector<std::string> split_command(const std::string &command);

// The program to execute: a name with '/' as is, otherwise the first
// executable file of that name in $PATH. "" when there is none.
std::string find_executable(const std::string &name);

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;
  ~ChildProcess() { terminate(); }

  // Forks the child, which waits for run(). False with a message on failure.
  bool spawn(const std::string &command, std::string &error);
  pid_t pid() const { return pid_; }
  // Lets the child execute the command; false with a message if exec failed. A child stopped
  // at its entry point continues from there.
  bool run(std::string &error);
  // Lets the child execute the command under ptrace and stops it at its entry point (the
  // executable's AT_ENTRY), when the dynamic loader has mapped its shared libraries; run() then
  // lets it go on. False with a message on failure. In child_entry.cpp (dw_ustack only).
  bool run_to_entry(std::string &error);
  // True once the child has exited (it is reaped then).
  bool exited();
  // Ends a child that still runs: SIGTERM, then SIGKILL after a grace period.
  void terminate();

 private:
  void release();    // sends the byte that lets the child exec its command
  int exec_error();  // after release(): 0 once the exec succeeded, else its errno
  pid_t pid_ = -1;
  int go_fd_ = -1;      // write end: one byte releases the child
  int result_fd_ = -1;  // read end: closed by a successful exec, else carries errno
  bool reaped_ = false;
  bool stopped_at_entry_ = false;  // traced and stopped by run_to_entry()
};

}  // namespace btc::rt

#endif
