// ElfFunctions::offset_of_vaddr: uprobe:BIN:0xADDR names a virtual address, which the runtime
// turns into the file offset the kernel attaches at (through the PT_LOAD segments).
#include <gtest/gtest.h>

#include "user_symbols.h"

using btc::rt::ElfFunctions;

namespace {

TEST(ElfAddress, OffsetOfVaddrInvertsVaddrOfOffset) {
  ElfFunctions elf;
  ASSERT_TRUE(elf.load("/proc/self/exe"));
  uint64_t vaddr = 0, offset = 0;
  ASSERT_TRUE(elf.vaddr_of_offset(0x1010, vaddr));
  ASSERT_TRUE(elf.offset_of_vaddr(vaddr, offset));
  EXPECT_EQ(offset, 0x1010u);
}

TEST(ElfAddress, AnUnmappedAddressHasNoOffset) {
  ElfFunctions elf;
  ASSERT_TRUE(elf.load("/proc/self/exe"));
  uint64_t offset = 0;
  EXPECT_FALSE(elf.offset_of_vaddr(0xffffffffff000000ULL, offset));
}

// A function of this test binary: uprobe:BIN:func+OFF is checked against its size.
extern "C" __attribute__((noinline, used)) int btc_elf_address_test_function(int x) { return x * 3 + 1; }

TEST(ElfAddress, FunctionSizeComesFromTheSymbol) {
  ElfFunctions elf;
  ASSERT_TRUE(elf.load("/proc/self/exe"));
  EXPECT_GT(elf.function_size("btc_elf_address_test_function"), 0u);
  EXPECT_EQ(elf.function_size("btc_no_such_function_anywhere"), 0u);
}

}  // namespace
