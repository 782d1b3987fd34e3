// SymbolTable: which ELF symbol names a user address (ustack, usym), as bpftrace's symbolizer
// chooses it; and ElfFunctions::symbolize on a real executable.
#include "symbol_table.h"

#include <elf.h>
#include <gtest/gtest.h>

#include "user_symbols.h"

using btc::rt::ElfFunctions;
using btc::rt::SymbolTable;
using btc::rt::TableSymbol;

namespace {

std::string name_at(const SymbolTable &table, uint64_t vaddr) {
  const TableSymbol *sym = table.find(vaddr);
  return sym ? sym->name : "(none)";
}

// The end of a typical non-PIE executable (the usdt_inlined test program's symbols).
SymbolTable executable_end() {
  SymbolTable t;
  t.add(0x401050, 34, STT_FUNC, true, "_start");
  t.add(0x4011b4, 21, STT_FUNC, true, "main");
  t.add(0x4011cc, 0, STT_FUNC, true, "_fini");
  t.add(0x402000, 4, STT_OBJECT, true, "_IO_stdin_used");
  t.add(0x404020, 0, STT_NOTYPE, true, "__bss_start");
  t.add(0x404020, 1, STT_OBJECT, true, "completed.0");
  t.add(0x404028, 0, STT_NOTYPE, true, "_end");
  t.add(0, 0, STT_FUNC, false, "__libc_start_main");
  t.finish();
  return t;
}

TEST(SymbolTable, AnAddressPastTheProgramIsNamedByItsLastSymbolEvenUntyped) {
  // A libc frame named against the executable (cache_user_symbols = PER_PROGRAM): bpftrace
  // prints `_end+N` there, not the last function (`_fini+N`).
  EXPECT_EQ(name_at(executable_end(), 0x7fa029d9e24a), "_end");
}

TEST(SymbolTable, AFunctionNamesTheAddressesItCovers) {
  SymbolTable t = executable_end();
  EXPECT_EQ(name_at(t, 0x401071), "_start");
  EXPECT_EQ(name_at(t, 0x4011b4), "main");
  EXPECT_EQ(name_at(t, 0x4011c2), "main");
}

TEST(SymbolTable, ASizedSymbolDoesNotReachPastItsEndAndNoOlderSymbolIsTried) {
  // 0x401072 is past _start's 34 bytes; _start is the nearest symbol below, so nothing names it.
  EXPECT_EQ(name_at(executable_end(), 0x401072), "(none)");
}

TEST(SymbolTable, ASizelessSymbolCoversEverythingUpToTheNextSymbol) {
  SymbolTable t = executable_end();
  EXPECT_EQ(name_at(t, 0x4011d8), "_fini");
  EXPECT_EQ(name_at(t, 0x402004), "(none)");  // past _IO_stdin_used, the nearest symbol
}

TEST(SymbolTable, AtOneAddressTheLargerSymbolIsTriedFirst) {
  SymbolTable t = executable_end();
  EXPECT_EQ(name_at(t, 0x404020), "completed.0");
  // Past completed.0's one byte, the sizeless __bss_start at the same address names it.
  EXPECT_EQ(name_at(t, 0x404021), "__bss_start");
}

TEST(SymbolTable, SymbolsOfEqualAddressAndSizeKeepTableOrder) {
  SymbolTable t;
  t.add(0x1000, 0, STT_NOTYPE, true, "_end");
  t.add(0x1000, 0, STT_NOTYPE, true, "_bss_end__");
  t.finish();
  EXPECT_EQ(name_at(t, 0x5000), "_end");
}

TEST(SymbolTable, UndefinedSectionFileAndTlsSymbolsNameNothing) {
  SymbolTable t;
  t.add(0x1000, 0x10, STT_FUNC, true, "f");
  t.add(0x2000, 0, STT_FUNC, false, "imported");
  t.add(0x1000, 0x100, STT_SECTION, true, ".text");
  t.add(0x1008, 0, STT_FILE, true, "f.c");
  t.add(0x1008, 8, STT_TLS, true, "tls_var");
  t.finish();
  EXPECT_EQ(name_at(t, 0x1008), "f");
  EXPECT_EQ(name_at(t, 0x2008), "(none)");  // the undefined symbol is the nearest one
  EXPECT_EQ(name_at(t, 0xfff), "(none)");
}

TEST(SymbolTable, GnuIfuncsAreFunctions) {
  SymbolTable t;
  t.add(0x3000, 0x40, STT_GNU_IFUNC, true, "memcpy");
  t.finish();
  EXPECT_EQ(name_at(t, 0x3010), "memcpy");
}

TEST(SymbolTable, AnEmptyTableNamesNothing) {
  SymbolTable t;
  t.finish();
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.find(0x1000), nullptr);
}

// This test binary, like every executable the GNU linker makes, ends with the untyped `_end`.
TEST(ElfSymbolize, AnAddressFarPastTheExecutableIsItsEnd) {
  ElfFunctions elf;
  ASSERT_TRUE(elf.load("/proc/self/exe"));
  std::string name = elf.symbolize(0x7f0000000000ULL);
  EXPECT_EQ(name.rfind("_end+", 0), 0u) << name;
  EXPECT_EQ(elf.symbolize(0x7f0000000000ULL, false), "_end");
}

}  // namespace
