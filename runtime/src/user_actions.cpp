#include "user_actions.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "output_sink.h"

namespace btc::rt {

void print_action_error(const std::string &message) {
  flush_output();
  fprintf(stderr, "ERROR: %s\n", message.c_str());
}

bool run_shell_command(const std::string &command, std::string *output, std::string *error) {
  int fds[2];
  if (pipe(fds) < 0) {
    *error = std::string("pipe() failed (") + strerror(errno) + ")";
    return false;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    *error = std::string("fork() failed (") + strerror(errno) + ")";
    return false;
  }
  if (pid == 0) {
    // The child dies with the tool, and both its output streams go to the pipe.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    close(fds[0]);
    if (dup2(fds[1], STDOUT_FILENO) < 0 || dup2(fds[1], STDERR_FILENO) < 0) _exit(127);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    output->append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      *error = std::string("waitpid() failed (") + strerror(errno) + ")";
      return false;
    }
  }
  if (!WIFEXITED(status)) {
    *error = "child process did not exit normally";
    return false;
  }
  if (WEXITSTATUS(status) != 0) {
    *error = "command exited with code " + std::to_string(WEXITSTATUS(status));
    return false;
  }
  return true;
}

bool read_file_head(const std::string &path, size_t max_bytes, std::string *contents, std::string *error) {
  FILE *file = fopen(path.c_str(), "rbe");  // stdio: iostreams would add ~0.5 MB to every tool
  if (!file) {
    *error = "failed to open file '" + path + "' (" + strerror(errno) + ")";
    return false;
  }
  contents->resize(max_bytes);
  contents->resize(fread(contents->data(), 1, max_bytes, file));
  fclose(file);
  return true;
}

std::string join_strings(const btc_printf_desc &desc, const uint8_t *payload, size_t size) {
  std::string joined;
  for (uint32_t i = 0; i < desc.nargs; i++) {
    const btc_field &f = desc.args[i];
    if (static_cast<size_t>(f.offset) + f.size > size) break;
    const char *s = reinterpret_cast<const char *>(payload + f.offset);
    size_t len = strnlen(s, f.size);
    if (len == 0) break;
    if (i > 0) joined += desc.fmt;
    joined.append(s, len);
  }
  return joined;
}

}  // namespace btc::rt
