// Finding clang / the host C++ compiler / the btc runtime, and running them without a shell.
#include "driver/toolchain.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#ifndef BTC_DEFAULT_RUNTIME_LIB
#define BTC_DEFAULT_RUNTIME_LIB ""
#endif
#ifndef BTC_DEFAULT_RUNTIME_INCLUDE
#define BTC_DEFAULT_RUNTIME_INCLUDE ""
#endif

namespace btc {

static const int kMinClangMajor = 14;  // first clang whose -target bpf handles CO-RE and BTF well

static std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? v : "";
}

static bool is_executable_file(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

// Full path of `name` (searched in $PATH unless it contains a '/'), or "".
static std::string find_program(const std::string &name) {
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) return is_executable_file(name) ? name : "";
  std::string path = env("PATH");
  if (path.empty()) path = "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    start = end + 1;
  }
  return "";
}

// Major version from `clang --version` ("... clang version 19.1.7 ..."), or -1.
static int clang_major_version(const std::string &clang) {
  std::string out;
  if (run_command({clang, "--version"}, &out) != 0) return -1;
  size_t pos = out.find("clang version ");
  if (pos == std::string::npos) return -1;
  return std::atoi(out.c_str() + pos + std::strlen("clang version "));
}

static bool find_clang(Toolchain *tc, std::string *err) {
  std::string from_env = env("BTC_CLANG");
  std::vector<std::string> candidates =
      from_env.empty() ? std::vector<std::string>{"clang-19", "clang"} : std::vector<std::string>{from_env};
  std::string too_old;
  for (const std::string &name : candidates) {
    std::string path = find_program(name);
    if (path.empty()) continue;
    // A versioned name (clang-19) says its version; asking `--version` costs 30-70 ms per compile.
    std::string base = path.substr(path.rfind('/') + 1);
    int major = base.rfind("clang-", 0) == 0 && base.size() > 6 && isdigit(static_cast<unsigned char>(base[6]))
                    ? std::atoi(base.c_str() + 6)
                    : clang_major_version(path);
    if (major >= kMinClangMajor) {
      tc->clang = path;
      return true;
    }
    too_old = path + " (version " + (major < 0 ? std::string("unknown") : std::to_string(major)) + ")";
  }
  if (!from_env.empty() && too_old.empty())
    *err = "clang not found: BTC_CLANG=" + from_env + " is not an executable";
  else if (!too_old.empty())
    *err = "clang " + std::to_string(kMinClangMajor) + " or newer is needed for -target bpf, found only " + too_old +
           ": install clang-19 (apt install clang-19) or set BTC_CLANG";
  else
    *err = "clang not found (tried clang-19, clang): install clang-19 (apt install clang-19) or set BTC_CLANG";
  return false;
}

static bool find_cxx(Toolchain *tc, std::string *err) {
  std::string from_env = env("BTC_CXX");
  if (!from_env.empty()) {
    tc->cxx = find_program(from_env);
    if (tc->cxx.empty()) *err = "C++ compiler not found: BTC_CXX=" + from_env + " is not an executable";
    return !tc->cxx.empty();
  }
  for (const char *name : {"c++", "g++", "clang++"}) {
    tc->cxx = find_program(name);
    if (!tc->cxx.empty()) return true;
  }
  *err = "C++ compiler not found (tried c++, g++, clang++): install g++ (apt install g++) or set BTC_CXX";
  return false;
}

static bool find_runtime(Toolchain *tc, std::string *err) {
  std::string lib = env("BTC_RUNTIME_LIB");
  const char *lib_origin = "BTC_RUNTIME_LIB";
  if (lib.empty()) {
    lib = BTC_DEFAULT_RUNTIME_LIB;
    lib_origin = "the build tree";
  }
  if (lib.empty() || access(lib.c_str(), R_OK) != 0) {
    *err = "btc runtime library not found" +
           (lib.empty() ? std::string() : " at " + lib + " (from " + lib_origin + ")") +
           ": build the btc_runtime target or set BTC_RUNTIME_LIB to libbtc_runtime.a";
    return false;
  }
  std::string include = env("BTC_RUNTIME_INCLUDE");
  const char *include_origin = "BTC_RUNTIME_INCLUDE";
  if (include.empty()) {
    include = BTC_DEFAULT_RUNTIME_INCLUDE;
    include_origin = "the source tree";
  }
  if (include.empty() || access((include + "/btc/abi.h").c_str(), R_OK) != 0) {
    *err = "btc runtime headers not found" +
           (include.empty() ? std::string() : " (no btc/abi.h in " + include + ", from " + include_origin + ")") +
           ": set BTC_RUNTIME_INCLUDE to the directory holding btc/abi.h";
    return false;
  }
  tc->runtime_lib = lib;
  tc->runtime_include = include;
  return true;
}

// llvm-strip of clang's LLVM: the same directory and version suffix (clang-19 -> llvm-strip-19).
static std::string find_llvm_strip(const std::string &clang) {
  std::string from_env = env("BTC_LLVM_STRIP");
  if (!from_env.empty()) return find_program(from_env);
  std::string dir = clang.substr(0, clang.rfind('/') + 1);
  std::string base = clang.substr(dir.size());
  std::string suffix = base.rfind("clang", 0) == 0 ? base.substr(5) : "";
  for (const std::string &name : {"llvm-strip" + suffix, std::string("llvm-strip")}) {
    std::string found = find_program(dir + name);
    if (found.empty()) found = find_program(name);
    if (!found.empty()) return found;
  }
  return "";
}

bool find_toolchain(Toolchain *tc, std::string *err) {
  std::string ignored;
  if (!err) err = &ignored;
  Toolchain found;
  if (!find_clang(&found, err) || !find_cxx(&found, err) || !find_runtime(&found, err)) return false;
  found.llvm_strip = find_llvm_strip(found.clang);
  *tc = std::move(found);
  return true;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

// The child: stdout and stderr go to out_fd; if exec fails, errno is written to err_fd (close-on-exec,
// so the parent reads EOF there when exec succeeds).
[[noreturn]] static void exec_child(const std::vector<std::string> &argv, int out_fd, int err_fd) {
  dup2(out_fd, STDOUT_FILENO);
  dup2(out_fd, STDERR_FILENO);
  if (out_fd != STDOUT_FILENO && out_fd != STDERR_FILENO) close(out_fd);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) {
    dup2(devnull, STDIN_FILENO);
    if (devnull != STDIN_FILENO) close(devnull);
  }
  std::vector<char *> args;
  for (const std::string &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  int e = errno;
  ssize_t ignored = write(err_fd, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

int run_command(const std::vector<std::string> &argv, std::string *output) {
  std::string ignored;
  if (!output) output = &ignored;
  output->clear();
  if (argv.empty() || argv[0].empty()) {
    *output = "run_command: empty command line";
    return -1;
  }

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    *output = "cannot create a pipe: " + std::string(std::strerror(errno));
    return -1;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    *output = "cannot create a pipe: " + std::string(std::strerror(errno));
    close_fd(&out_pipe[0]);
    close_fd(&out_pipe[1]);
    return -1;
  }

  pid_t pid = fork();
  if (pid == 0) exec_child(argv, out_pipe[1], err_pipe[1]);
  close_fd(&out_pipe[1]);
  close_fd(&err_pipe[1]);
  if (pid < 0) {
    *output = "cannot fork: " + std::string(std::strerror(errno));
    close_fd(&out_pipe[0]);
    close_fd(&err_pipe[0]);
    return -1;
  }

  char buf[4096];
  for (;;) {
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n > 0)
      output->append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  close_fd(&out_pipe[0]);

  int exec_errno = 0;
  ssize_t got;
  do {
    got = read(err_pipe[0], &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  close_fd(&err_pipe[0]);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    *output = "cannot run " + argv[0] + ": " + std::strerror(exec_errno);
    return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace btc
