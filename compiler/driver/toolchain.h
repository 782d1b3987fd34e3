// Finding and running the external tools btc needs on the build host.
#pragma once
#include <string>
#include <vector>

namespace btc {

struct Toolchain {
  std::string clang;  // clang for -target bpf: $BTC_CLANG, clang-19, clang
  std::string cxx;    // host C++ compiler for the tool's tables: $BTC_CXX, c++, g++, clang++
  std::string runtime_lib;      // libbtc_runtime.a ($BTC_RUNTIME_LIB or the build tree's)
  std::string runtime_include;  // directory holding btc/abi.h
  // llvm-strip next to clang (clang-19 -> llvm-strip-19), or $BTC_LLVM_STRIP; "" when there is
  // none (the BPF object then keeps its DWARF: only bigger).
  std::string llvm_strip;
};

// Finds the tools. On failure returns false and sets *err to one line naming what is missing
// and how to get it (e.g. "clang not found: install clang-19 or set BTC_CLANG").
bool find_toolchain(Toolchain *tc, std::string *err);

// Runs argv (searched in $PATH, no shell; stdin is /dev/null), capturing stdout+stderr into *output.
// Returns the exit status, 128 + the signal number if it was killed, or -1 if it could not start
// (then *output says why).
int run_command(const std::vector<std::string> &argv, std::string *output);

}  // namespace btc
