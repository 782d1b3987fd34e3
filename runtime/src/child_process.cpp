#include "child_process.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace btc::rt {

static const int kTermGraceMs = 1000;

std::vector<std::string> split_command(const std::string &command) {
  std::vector<std::string> words;
  std::string word;
  for (char c : command) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

static bool is_executable(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string find_executable(const std::string &name) {
  if (name.find('/') != std::string::npos) return is_executable(name) ? name : "";
  const char *env = getenv("PATH");
  std::string path = env && *env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find(':', pos);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(pos, end - pos);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_executable(candidate)) return candidate;
    pos = end + 1;
  }
  return "";
}

// In the child: wait for the go byte, then exec. Only async-signal-safe calls.
[[noreturn]] static void child_main(pid_t parent, int go_fd, int result_fd, const char *binary, char **argv) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // the tool died: so does the child
  if (getppid() != parent) _exit(1);
  // The tool ignores SIGPIPE; the command should not inherit that.
  signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);

  char go = 0;
  ssize_t n;
  do {
    n = read(go_fd, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) _exit(1);  // the tool gave up before attaching
  execv(binary, argv);
  int err = errno;
  ssize_t ignored = write(result_fd, &err, sizeof(err));
  (void)ignored;
  _exit(127);
}

bool ChildProcess::spawn(const std::string &command, std::string &error) {
  std::vector<std::string> words = split_command(command);
  if (words.empty()) {
    error = "empty command for -c";
    return false;
  }
  std::string binary = find_executable(words[0]);
  if (binary.empty()) {
    error = "failed to run child: path '" + words[0] + "' does not exist or is not executable";
    return false;
  }
  std::vector<char *> argv;
  for (std::string &w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  int go[2], result[2];
  if (pipe2(go, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe for the child: ") + strerror(errno);
    return false;
  }
  if (pipe2(result, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe for the child: ") + strerror(errno);
    close(go[0]);
    close(go[1]);
    return false;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    error = std::string("cannot fork the child process: ") + strerror(errno);
    for (int fd : {go[0], go[1], result[0], result[1]}) close(fd);
    return false;
  }
  if (pid == 0) child_main(parent, go[0], result[1], binary.c_str(), argv.data());
  close(go[0]);
  close(result[1]);
  pid_ = pid;
  go_fd_ = go[1];
  result_fd_ = result[0];
  return true;
}

bool ChildProcess::run(std::string &error) {
  if (stopped_at_entry_) {
    stopped_at_entry_ = false;
    if (ptrace(PTRACE_DETACH, pid_, nullptr, nullptr) != 0) {
      error = std::string("cannot let the child run: ") + strerror(errno);
      return false;
    }
    return true;
  }
  if (pid_ < 0 || go_fd_ < 0) return true;
  release();
  int err = exec_error();
  if (err) {
    error = std::string("failed to run child: ") + strerror(err);
    return false;
  }
  return true;
}

void ChildProcess::release() {
  char go = 'g';
  ssize_t n;
  do {
    n = write(go_fd_, &go, 1);
  } while (n < 0 && errno == EINTR);
  close(go_fd_);
  go_fd_ = -1;
}

int ChildProcess::exec_error() {
  int err = 0;
  ssize_t n;
  do {
    n = read(result_fd_, &err, sizeof(err));  // EOF once exec succeeded
  } while (n < 0 && errno == EINTR);
  close(result_fd_);
  result_fd_ = -1;
  return n == sizeof(err) ? err : 0;
}

bool ChildProcess::exited() {
  if (pid_ < 0 || reaped_) return true;
  int status;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) reaped_ = true;
  return reaped_;
}

void ChildProcess::terminate() {
  if (go_fd_ >= 0) close(go_fd_);  // a child still waiting exits on its own
  if (result_fd_ >= 0) close(result_fd_);
  go_fd_ = result_fd_ = -1;
  if (pid_ < 0 || exited()) return;
  kill(pid_, SIGTERM);
  for (int waited = 0; waited < kTermGraceMs; waited += 10) {
    struct timespec ten_ms = {0, 10 * 1000000L};
    nanosleep(&ten_ms, nullptr);
    if (exited()) return;
  }
  kill(pid_, SIGKILL);
  int status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

}  // namespace btc::rt
