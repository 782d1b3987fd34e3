// dw_ustack's tables of a process (runtime/src/dw_unwind.cpp): the executable mappings of
// /proc/PID/maps, and one module per mapping whose bias turns run-time addresses into the file's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "dw_unwind.h"
#include "eh_frame.h"

using btc::rt::build_unwind_tables;
using btc::rt::parse_exec_mappings;

namespace {

TEST(DwUnwindTables, ExecutableFileMappingsOnly) {
  auto m = parse_exec_mappings(
      "55d0c0a00000-55d0c0a2a000 r--p 00000000 08:01 1234 /usr/bin/bash\n"
      "55d0c0a2a000-55d0c0b0b000 r-xp 0002a000 08:01 1234 /usr/bin/bash\n"
      "7f0000000000-7f0000001000 r-xp 00000000 00:00 0 \n"
      "7f0000002000-7f0000003000 r-xp 00000000 08:01 99 /tmp/gone (deleted)\n"
      "7ffd1f5fe000-7ffd1f600000 r-xp 00000000 00:00 0 [vdso]\n"
      "7f1000000000-7f1000100000 r-xp 00028000 08:01 55 /usr/lib/x86_64-linux-gnu/libc.so.6\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].path, "/usr/bin/bash");
  EXPECT_EQ(m[0].start, 0x55d0c0a2a000u);
  EXPECT_EQ(m[0].end, 0x55d0c0b0b000u);
  EXPECT_EQ(m[0].file_offset, 0x2a000u);
  EXPECT_EQ(m[1].path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
}

__attribute__((noinline)) int dw_unwind_test_function(int x) { return x * 7 + 1; }

// This test binary's own tables: the module holding one of its functions maps that function's
// run-time address to the row the file's .eh_frame has for it.
TEST(DwUnwindTables, OwnProcessModulesMapToFileRows) {
  std::vector<btc_dw_module> modules;
  std::vector<btc_dw_row> rows;
  std::string note;
  build_unwind_tables(getpid(), modules, rows, note);
  ASSERT_FALSE(modules.empty()) << note;
  for (size_t i = 1; i < modules.size(); i++) EXPECT_LT(modules[i - 1].start, modules[i].start);

  uint64_t address = reinterpret_cast<uint64_t>(&dw_unwind_test_function);
  const btc_dw_module *found = nullptr;
  for (const btc_dw_module &m : modules)
    if (address >= m.start && address < m.end) found = &m;
  ASSERT_NE(found, nullptr);
  ASSERT_LE(found->first_row + found->nrows, rows.size());

  btc::rt::UnwindFile file;
  std::string error;
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  ASSERT_GT(n, 0);
  self[n] = 0;
  ASSERT_TRUE(btc::rt::read_unwind_file(self, file, error)) << error;
  const btc::rt::UnwindRow *expected = btc::rt::find_unwind_row(file.rows, address - found->bias);
  ASSERT_NE(expected, nullptr);
  EXPECT_EQ(expected->cfa_reg, btc::rt::kCfaRsp);  // a function's first instruction: CFA = rsp + 8
  EXPECT_EQ(expected->cfa_offset, 8);
  const btc_dw_row *begin = rows.data() + found->first_row, *end = begin + found->nrows;
  const btc_dw_row *row =
      std::upper_bound(begin, end, address - found->bias, [](uint64_t pc, const btc_dw_row &r) { return pc < r.pc; });
  ASSERT_NE(row, begin);
  EXPECT_EQ((row - 1)->pc, expected->pc);
  EXPECT_EQ((row - 1)->cfa_reg, BTC_DW_CFA_RSP);
  EXPECT_EQ(dw_unwind_test_function(1), 8);
}

}  // namespace
