// Source lines to addresses (compiler/elf/dwarf_lines.*) on the -O0 fixture program
// (tests/unit/fixtures/dwarf_fixture.c), and uprobe:BIN@FILE:LINE in the checker.
#include "elf/dwarf_lines.h"

#include <gtest/gtest.h>

#include "check_test_util.h"
#include "elf/elf_symbols.h"

namespace btc {
namespace {

uint64_t symbol_address(const std::string &name) {
  std::string err;
  auto sym = elf_symbol(BTC_DWARF_FIXTURE, name, &err);
  EXPECT_TRUE(sym) << err;
  return sym ? sym->address : 0;
}

std::optional<uint64_t> line_address(const std::string &file, uint64_t line, uint64_t column = 0) {
  std::string err;
  return source_line_address(BTC_DWARF_FIXTURE, file, line, column, &err);
}

// fixture_shape is written on one line (37): its first row is the function's entry.
TEST(DwarfLines, FunctionLineIsTheEntry) {
  EXPECT_EQ(line_address("dwarf_fixture.c", 37), symbol_address("fixture_shape"));
  EXPECT_EQ(line_address("dwarf_fixture.c", 45), symbol_address("main"));
}

// A line with code in several places resolves to its lowest address: main's `return` (line 49)
// continues after line 50's call, and column 70 of line 37 has two rows.
TEST(DwarfLines, LowestAddressOfTheLineWins) {
  auto ret = line_address("dwarf_fixture.c", 49), next = line_address("dwarf_fixture.c", 50);
  ASSERT_TRUE(ret && next);
  EXPECT_GT(*ret, symbol_address("main"));
  EXPECT_LT(*ret, *next);
  auto col = line_address("dwarf_fixture.c", 37, 70);
  ASSERT_TRUE(col);
  EXPECT_GT(*col, symbol_address("fixture_shape"));
  EXPECT_LT(*col, symbol_address("fixture_shape") + 0x20);
}

TEST(DwarfLines, FileMatchesByWholePathComponents) {
  EXPECT_TRUE(line_address("fixtures/dwarf_fixture.c", 37));
  EXPECT_FALSE(line_address("fixture.c", 37));
  std::string err;
  EXPECT_FALSE(source_line_address(BTC_DWARF_FIXTURE, "nope.c", 37, 0, &err));
  EXPECT_EQ(err, "No compilation unit matches nope.c");
}

TEST(DwarfLines, LineWithoutCode) {
  std::string err;
  EXPECT_FALSE(source_line_address(BTC_DWARF_FIXTURE, "dwarf_fixture.c", 2, 0, &err));
  EXPECT_EQ(err, "Unable to map 'dwarf_fixture.c:2' to address");
  EXPECT_FALSE(source_line_address(BTC_DWARF_FIXTURE, "dwarf_fixture.c", 37, 1, &err));
  EXPECT_EQ(err, "Unable to map 'dwarf_fixture.c:37:1' to address");
}

TEST(DwarfLines, NoDebugInfo) {
  std::string err;
  EXPECT_FALSE(has_dwarf(BTC_TEST_DATA_DIR "/CMakeLists.txt", &err));
  EXPECT_TRUE(has_dwarf(BTC_DWARF_FIXTURE, &err));
}

// The probe becomes an address probe named as bpftrace names it (the address in decimal);
// `func` is the function holding the line.
TEST(DwarfLines, CheckerAttachesAtTheLine) {
  std::string bin = BTC_DWARF_FIXTURE;
  auto c = testing::check("uprobe:" + bin + "@dwarf_fixture.c:49 { printf(\"%s %s\\n\", probe, func); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 1u);
  const ProbeTarget &t = c->info.probes[0];
  EXPECT_EQ(t.offset, *line_address("dwarf_fixture.c", 49));
  EXPECT_EQ(t.spec, "uprobe:" + bin + ":" + std::to_string(t.offset));
  EXPECT_EQ(t.func, "");
  EXPECT_EQ(t.func_name(), "main");
}

TEST(DwarfLines, CheckerRefusesMalformedSourceLocations) {
  std::string bin = BTC_DWARF_FIXTURE;
  const std::pair<std::string, std::string> cases[] = {
      {"uretprobe:" + bin + "@dwarf_fixture.c:37", "Source code location not allowed"},
      {"uprobe:./fix*@dwarf_fixture.c:37", "Cannot use wildcards with source code location"},
      {"uprobe:" + bin + "@dwarf_fixture.c",
       "Invalid uprobe arguments, expected format: uprobe:TARGET@FILE:LINE[:COL]"},
      {"uprobe:" + bin + "@dwarf_fixture.c:x", "Invalid line number: invalid integer: x"},
      {"uprobe:" + bin + "@dwarf_fixture.c:37:y", "Invalid column number: invalid integer: y"},
      {"uprobe:" + bin + "@dwarf_fixture.c:3", "Unable to map 'dwarf_fixture.c:3' to address"},
  };
  for (const auto &[probe, message] : cases) {
    auto c = testing::check(probe + " { exit(); }");
    EXPECT_FALSE(c->ok) << probe;
    EXPECT_EQ(c->first_error(), message) << probe;
  }
}

}  // namespace
}  // namespace btc
