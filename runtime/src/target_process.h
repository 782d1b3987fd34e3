// -p PID: the process the tool traces. The tool stops when it exits.
#ifndef BTC_RT_TARGET_PROCESS_H
#define BTC_RT_TARGET_PROCESS_H

#include <sys/types.h>

#include <string>

namespace btc::rt {

class TargetProcess {
 public:
  TargetProcess() = default;
  TargetProcess(const TargetProcess &) = delete;
  TargetProcess &operator=(const TargetProcess &) = delete;
  ~TargetProcess();

  // Starts watching `pid`; false with a message when there is no such process.
  bool open(pid_t pid, std::string &error);
  pid_t pid() const { return pid_; }
  // True once the process has exited (zombies count as exited).
  bool exited() const;

 private:
  pid_t pid_ = -1;
  int pidfd_ = -1;  // readable once the process exits; -1 where pidfd_open is missing
};

}  // namespace btc::rt

#endif
