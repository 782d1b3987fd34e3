// kstack/ustack text (bpftrace, perf and raw modes, frame limits) and the
// user-space symbolization behind ustack: /proc/PID/maps plus ELF symbols.
#include <gtest/gtest.h>
#include <unistd.h>

#include "ksyms.h"
#include "stack_format.h"
#include "user_symbols.h"

using namespace btc::rt;

extern "C" __attribute__((noinline, used)) int btc_stack_test_marker(int x) {
  __asm__ volatile("" ::: "memory");
  return x + 1;
}

namespace {

std::string fake_symbol(uint64_t address) { return "f" + std::to_string(address & 0xff) + "+4"; }

TEST(RuntimeStack, BpftraceModeIndentsEveryFrame) {
  EXPECT_EQ(format_stack({0xffffffff81000001, 0xffffffff81000002}, BTC_STACK_BPFTRACE, 0, fake_symbol),
            "\n        f1+4\n        f2+4\n");
  EXPECT_EQ(format_stack({}, BTC_STACK_BPFTRACE, 0, fake_symbol), "\n");
}

TEST(RuntimeStack, PerfAndRawModesAndLimits) {
  std::vector<uint64_t> frames = {0xffffffff81000a01, 0xffffffff81000a02, 0xffffffff81000a03};
  EXPECT_EQ(format_stack(frames, BTC_STACK_PERF, 2, fake_symbol),
            "\n\tffffffff81000a01 f1+4\n\tffffffff81000a02 f2+4\n");
  EXPECT_EQ(format_stack(frames, BTC_STACK_RAW, 0, fake_symbol),
            "\nffffffff81000a01\nffffffff81000a02\nffffffff81000a03\n");
}

TEST(RuntimeStack, KernelFramesShowTheOffset) {
  KernelSymbols table;
  table.parse("ffffffff81000000 T _stext\nffffffff81000100 t vfs_read\n");
  EXPECT_EQ(table.resolve_with_offset(0xffffffff8100010c), "vfs_read+12");
  EXPECT_EQ(table.resolve_with_offset(0xffffffff81000000), "_stext+0");
  EXPECT_EQ(table.resolve_with_offset(0x10), "0x10");
}

TEST(RuntimeUserSymbols, ProcMapsLinesWithFiles) {
  std::vector<Mapping> maps = parse_proc_maps(
      "55d0c0000000-55d0c0001000 r--p 00000000 08:01 1234   /usr/bin/bash\n"
      "55d0c0001000-55d0c00f0000 r-xp 00001000 08:01 1234   /usr/bin/bash\n"
      "7ffd1000-7ffd2000 rw-p 00000000 00:00 0              [stack]\n"
      "7ffd3000-7ffd4000 rw-p 00000000 00:00 0\n");
  ASSERT_EQ(maps.size(), 2u);
  EXPECT_EQ(maps[1].start, 0x55d0c0001000u);
  EXPECT_EQ(maps[1].end, 0x55d0c00f0000u);
  EXPECT_EQ(maps[1].file_offset, 0x1000u);
  EXPECT_EQ(maps[1].path, "/usr/bin/bash");
}

TEST(RuntimeUserSymbols, ResolvesAFunctionOfThisProcess) {
  UserSymbols symbols;
  uint64_t address = reinterpret_cast<uint64_t>(&btc_stack_test_marker);
  EXPECT_EQ(symbols.resolve(static_cast<uint32_t>(getpid()), address), "btc_stack_test_marker+0");
  EXPECT_EQ(symbols.resolve(static_cast<uint32_t>(getpid()), address + 1), "btc_stack_test_marker+1");
  EXPECT_EQ(symbols.resolve(static_cast<uint32_t>(getpid()), 0x10), "0x10");
  EXPECT_EQ(symbols.resolve(static_cast<uint32_t>(getpid()), 0x10, true), "0x10 ([unknown])");
  std::string perf = symbols.resolve(static_cast<uint32_t>(getpid()), address, true);
  EXPECT_EQ(perf.rfind("btc_stack_test_marker+0 (/", 0), 0u) << perf;
  EXPECT_EQ(btc_stack_test_marker(1), 2);
}

}  // namespace
