// Runs the generated tool's command-line parser on a word list and captures what it prints.
#pragma once
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "btc/abi.h"
#include "cli.h"

namespace rt_test {

struct Captured {
  btc::rt::CliResult result;
  std::string out;
};

inline Captured run_cli(const btc_tool &tool, std::vector<std::string> args) {
  std::vector<char *> argv;
  std::string prog = "mytool";
  argv.push_back(prog.data());
  for (std::string &a : args) argv.push_back(a.data());
  char *buf = nullptr;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  Captured c;
  c.result = btc::rt::parse_cli(tool, static_cast<int>(argv.size()), argv.data(), out);
  fclose(out);
  c.out.assign(buf, len);
  free(buf);
  return c;
}

// Runs the parser like run_cli and returns what it wrote to stderr.
inline std::string cli_stderr(const btc_tool &tool, std::vector<std::string> args) {
  fflush(stderr);
  FILE *capture = tmpfile();
  int saved = dup(fileno(stderr));
  dup2(fileno(capture), fileno(stderr));
  run_cli(tool, std::move(args));
  fflush(stderr);
  dup2(saved, fileno(stderr));
  close(saved);
  std::string text;
  rewind(capture);
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), capture)) > 0) text.append(buf, n);
  fclose(capture);
  return text;
}

}  // namespace rt_test
