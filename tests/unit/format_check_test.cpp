// printf format rules of the checker: bpf_seq_printf formats for pinned iterators.
#include "check/format_check.h"

#include <gtest/gtest.h>

namespace btc {
namespace {

std::string seq(const std::string &fmt, const std::vector<Type> &args, std::string *err = nullptr) {
  std::string out, e;
  size_t bad = 0;
  if (!seq_printf_format(fmt, args, &out, &e, &bad)) {
    if (err) *err = e;
    return "<refused>";
  }
  return out;
}

TEST(SeqPrintfFormat, IntegersTravelAs64BitValues) {
  Type i32 = Type::integer(4, true), u8 = Type::integer(1, false), str = Type::string(16);
  EXPECT_EQ(seq("%d %u %x %X\n", {i32, u8, i32, i32}), "%lld %llu %llx %llX\n");
  EXPECT_EQ(seq("%-5d|%08lx|%hhu", {i32, i32, u8}), "%-5lld|%08llx|%llu");
  EXPECT_EQ(seq("[%-4s] %c %p 100%%", {str, u8, i32}), "[%-4s] %c 0x%llx 100%%");
  EXPECT_EQ(seq("no conversions", {}), "no conversions");
}

TEST(SeqPrintfFormat, RefusesWhatTheKernelCannotFormat) {
  Type i64 = Type::integer(8, true);
  std::string err;
  EXPECT_EQ(seq("%o", {i64}, &err), "<refused>");
  EXPECT_NE(err.find("not supported in a pinned iterator"), std::string::npos) << err;
  EXPECT_EQ(seq("%#x", {i64}, &err), "<refused>");
  EXPECT_EQ(seq("%s", {i64}, &err), "<refused>");  // the kernel would read the integer as a pointer
  EXPECT_NE(err.find("needs a string"), std::string::npos) << err;
  std::vector<Type> thirteen(13, i64);
  std::string fmt;
  for (int i = 0; i < 13; i++) fmt += "%d ";
  EXPECT_EQ(seq(fmt, thirteen, &err), "<refused>");
  EXPECT_NE(err.find("at most 12 arguments"), std::string::npos) << err;
}

}  // namespace
}  // namespace btc
