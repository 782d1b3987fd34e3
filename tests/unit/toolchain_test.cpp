// run_command (fork/exec/pipe) and find_toolchain's environment handling.
#include "driver/toolchain.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

namespace btc {
namespace {

TEST(RunCommandTest, CapturesStdoutAndStderrAndStatus) {
  std::string out;
  EXPECT_EQ(run_command({"sh", "-c", "echo to-out; echo to-err >&2; exit 3"}, &out), 3);
  EXPECT_NE(out.find("to-out"), std::string::npos) << out;
  EXPECT_NE(out.find("to-err"), std::string::npos) << out;

  EXPECT_EQ(run_command({"echo", "a  b", "$HOME"}, &out), 0);  // no shell: arguments are passed verbatim
  EXPECT_EQ(out, "a  b $HOME\n");
}

TEST(RunCommandTest, LargeOutputIsReadCompletely) {
  std::string out;
  EXPECT_EQ(run_command({"head", "-c", "300000", "/dev/zero"}, &out), 0);
  EXPECT_EQ(out.size(), 300000u);
}

TEST(RunCommandTest, StdinIsEmpty) {
  std::string out;
  EXPECT_EQ(run_command({"cat"}, &out), 0);
  EXPECT_EQ(out, "");
}

TEST(RunCommandTest, FailuresToStart) {
  std::string out;
  EXPECT_EQ(run_command({"/nonexistent/btc-tool"}, &out), -1);
  EXPECT_NE(out.find("cannot run /nonexistent/btc-tool"), std::string::npos) << out;
  EXPECT_EQ(run_command({"no-such-program-btc"}, &out), -1);
  EXPECT_EQ(run_command({}, &out), -1);
}

TEST(RunCommandTest, KilledBySignal) {
  std::string out;
  EXPECT_EQ(run_command({"sh", "-c", "kill -9 $$"}, &out), 128 + 9);
}

// Sets environment variables for one test and restores them afterwards.
class ScopedEnv {
 public:
  void set(const char *name, const std::string &value) {
    remember(name);
    setenv(name, value.c_str(), 1);
  }
  void unset(const char *name) {
    remember(name);
    unsetenv(name);
  }
  ~ScopedEnv() {
    for (auto &[name, value] : saved_) {
      if (value)
        setenv(name.c_str(), value->c_str(), 1);
      else
        unsetenv(name.c_str());
    }
  }

 private:
  void remember(const char *name) {
    for (auto &s : saved_)
      if (s.first == name) return;
    const char *v = getenv(name);
    saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

class FindToolchainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string out;
    if (run_command({"clang-19", "--version"}, &out) != 0) GTEST_SKIP() << "clang-19 not installed";
    dir_ = std::filesystem::temp_directory_path() / ("btc_toolchain_test." + std::to_string(getpid()));
    std::filesystem::create_directories(dir_ / "include" / "btc");
    std::ofstream(dir_ / "include" / "btc" / "abi.h") << "/* test */\n";
    std::ofstream(dir_ / "libbtc_runtime.a") << "!<arch>\n";
    env_.unset("BTC_CLANG");
    env_.unset("BTC_CXX");
    env_.set("BTC_RUNTIME_LIB", (dir_ / "libbtc_runtime.a").string());
    env_.set("BTC_RUNTIME_INCLUDE", (dir_ / "include").string());
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  ScopedEnv env_;
};

TEST_F(FindToolchainTest, FindsEverything) {
  Toolchain tc;
  std::string err;
  ASSERT_TRUE(find_toolchain(&tc, &err)) << err;
  EXPECT_NE(tc.clang.find("clang"), std::string::npos) << tc.clang;
  EXPECT_EQ(tc.clang[0], '/');
  EXPECT_FALSE(tc.cxx.empty());
  EXPECT_EQ(tc.runtime_lib, (dir_ / "libbtc_runtime.a").string());
  EXPECT_EQ(tc.runtime_include, (dir_ / "include").string());
}

TEST_F(FindToolchainTest, ClangFromEnvironment) {
  Toolchain tc;
  std::string err;
  env_.set("BTC_CLANG", "clang-19");
  ASSERT_TRUE(find_toolchain(&tc, &err)) << err;
  EXPECT_NE(tc.clang.find("clang-19"), std::string::npos);

  env_.set("BTC_CLANG", "/nonexistent/clang");
  EXPECT_FALSE(find_toolchain(&tc, &err));
  EXPECT_NE(err.find("BTC_CLANG=/nonexistent/clang"), std::string::npos) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos);

  env_.set("BTC_CLANG", "true");  // runs, but is no clang
  EXPECT_FALSE(find_toolchain(&tc, &err));
  EXPECT_NE(err.find("clang 14 or newer"), std::string::npos) << err;
}

TEST_F(FindToolchainTest, MissingPiecesAreNamed) {
  Toolchain tc;
  std::string err;
  env_.set("BTC_CXX", "/nonexistent/c++");
  EXPECT_FALSE(find_toolchain(&tc, &err));
  EXPECT_NE(err.find("BTC_CXX"), std::string::npos) << err;
  env_.unset("BTC_CXX");

  env_.set("BTC_RUNTIME_LIB", (dir_ / "missing.a").string());
  EXPECT_FALSE(find_toolchain(&tc, &err));
  EXPECT_NE(err.find("missing.a"), std::string::npos) << err;
  EXPECT_NE(err.find("BTC_RUNTIME_LIB"), std::string::npos) << err;
  env_.set("BTC_RUNTIME_LIB", (dir_ / "libbtc_runtime.a").string());

  env_.set("BTC_RUNTIME_INCLUDE", dir_.string());  // no btc/abi.h directly below
  EXPECT_FALSE(find_toolchain(&tc, &err));
  EXPECT_NE(err.find("btc/abi.h"), std::string::npos) << err;
}

}  // namespace
}  // namespace btc
