// The one table of bpftrace builtin and function names (compiler/ast/builtin_names): the answers
// it gives the parser, macro expansion and the checker.
#include "ast/builtin_names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace btc::ast {
namespace {

// Every name the table might be asked about, plus some it must not know.
std::set<std::string> probe_names() {
  std::set<std::string> names = {"foo", "", "Pid", "pid2", "__builtin_pid", "arg0", "sarg1", "config"};
  for (const auto &n : function_hints()) names.insert(n);
  for (const char *n : {"args",   "ctx",       "kstack",        "ustack",       "default_str_length",
                        "uid",    "comm",      "pcomm",         "leader_tid",   "cgroupid",
                        "path",   "skboutput", "socket_cookie", "percpu_kaddr", "offsetof",
                        "sizeof", "fail",      "unwatch",       "retval",       "usermode",
                        "ncpus",  "numaid",    "has_cpid"})
    names.insert(n);
  return names;
}

std::set<std::string> answered(bool (*question)(std::string_view)) {
  std::set<std::string> yes;
  for (const auto &n : probe_names())
    if (question(n)) yes.insert(n);
  return yes;
}

TEST(BuiltinNames, VariablesAreTheNamesThatAreValuesNotTypes) {
  std::set<std::string> want = {"args",      "ctx",      "cgroup", "comm",        "cpid",       "cpu",
                                "curtask",   "elapsed",  "func",   "gid",         "jiffies",    "kstack",
                                "ncpus",     "nsecs",    "numaid", "pid",         "ppid",       "probe",
                                "probetype", "rand",     "retval", "tid",         "uid",        "ustack",
                                "username",  "usermode", "pcomm",  "leader_comm", "leader_tid", "default_str_length",
                                "has_cpid"};
  std::set<std::string> got = answered(is_builtin_variable);
  for (const auto &n : want) EXPECT_TRUE(is_builtin_variable(n)) << n;
  for (const auto &n : got) EXPECT_TRUE(want.count(n)) << n << " should not be a builtin variable";
  EXPECT_FALSE(is_builtin_variable("printf"));
  EXPECT_FALSE(is_builtin_variable("arg0"));  // the parser recognises argN itself
}

TEST(BuiltinNames, BareCallableVariables) {
  std::set<std::string> want = {"pid",       "tid",    "uid",         "gid",       "nsecs",    "elapsed", "cpu",
                                "comm",      "probe",  "func",        "rand",      "cgroup",   "jiffies", "cpid",
                                "curtask",   "ppid",   "ncpus",       "numaid",    "username", "pcomm",   "usermode",
                                "probetype", "retval", "leader_comm", "leader_tid"};
  want.insert({"default_str_length", "has_cpid"});
  for (const auto &n : want) EXPECT_TRUE(is_bare_callable(n)) << n;
  for (const char *n : {"args", "ctx", "kstack", "ustack", "printf", "__builtin_pid", "foo"})
    EXPECT_FALSE(is_bare_callable(n)) << n;
}

TEST(BuiltinNames, MacroMismatchFallsBackForBpftraceNamesIncludingUnimplemented) {
  for (const char *n : {"pid",          "args",
                        "ctx",          "kstack",
                        "printf",       "tseries",
                        "sizeof",       "offsetof",
                        "cgroupid",     "path",
                        "skboutput",    "socket_cookie",
                        "percpu_kaddr", "fail",
                        "unwatch",      "cgroup_path",
                        "debugf",       "strstr",
                        "pcomm",        "leader_comm",
                        "leader_tid",   "default_str_length",
                        "signal_name"})
    EXPECT_TRUE(macro_mismatch_falls_back(n)) << n;
  for (const char *n : {"foo", "", "assert"}) EXPECT_FALSE(macro_mismatch_falls_back(n)) << n;
}

TEST(BuiltinNames, FunctionHintsAreImplementedFunctionsInTieBreakingOrder) {
  const std::vector<std::string> want = {
      "printf",      "warnf",       "errorf",  "exit",   "print",    "clear", "zero",   "delete",      "str",
      "count",       "sum",         "min",     "max",    "avg",      "stats", "hist",   "lhist",       "strlen",
      "strncmp",     "strcontains", "has_key", "len",    "bswap",    "ksym",  "signal", "override",    "getopt",
      "time",        "strftime",    "usym",    "reg",    "strerror", "buf",   "ntop",   "pton",        "macaddr",
      "cgroup_path", "join",        "system",  "cat",    "nsecs",    "kaddr", "uaddr",  "debugf",      "strstr",
      "pid",         "tid",         "tseries", "kstack", "ustack",   "uptr",  "kptr",   "signal_name", "write_user",
      "socket_cookie", "skboutput",
      // bpftrace's stdlib functions of issue 3
      "str_concat", "strcap", "memcmp", "find", "syscall_name", "is_err", "signal_thread", "cgroupid", "path",
      "percpu_kaddr"};
  EXPECT_EQ(function_hints(), want);
}

}  // namespace
}  // namespace btc::ast
