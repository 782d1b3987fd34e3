// The runtime's own DWARF line-table reader (runtime/src/dwarf_lines.*) against libdw's reading
// of the same tables, on the fixture program built -O0 with DWARF 5 (gcc's default) and -O2 with
// DWARF 4; inlined calls on tests/unit/fixtures/inline_fixture.c.
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "dwarf_lines.h"
#include "elf/elf_symbols.h"

namespace btc::rt {
namespace {

// "FILE:LINE" of every address that starts a line-table row, as libdw reads it; at an address
// with several rows the last one counts (the location of the instruction there).
std::map<uint64_t, std::string> libdw_rows(const std::string &path) {
  std::map<uint64_t, std::string> rows;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  Dwarf *dw = fd >= 0 ? dwarf_begin(fd, DWARF_C_READ) : nullptr;
  Dwarf_Off off = 0, next;
  size_t header;
  while (dw && dwarf_nextcu(dw, off, &next, &header, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu;
    Dwarf_Lines *lines;
    size_t n;
    if (dwarf_offdie(dw, off + header, &cu) && dwarf_getsrclines(&cu, &lines, &n) == 0) {
      for (size_t i = 0; i < n; i++) {
        Dwarf_Line *l = dwarf_onesrcline(lines, i);
        Dwarf_Addr addr;
        int line;
        bool end;
        if (dwarf_lineaddr(l, &addr) || dwarf_lineno(l, &line) || dwarf_lineendsequence(l, &end) || end) continue;
        rows[addr] = std::string(dwarf_linesrc(l, nullptr, nullptr)) + ":" + std::to_string(line);
      }
    }
    off = next;
  }
  if (dw) dwarf_end(dw);
  if (fd >= 0) close(fd);
  return rows;
}

void expect_same_as_libdw(const std::string &path) {
  DwarfLines lines;
  ASSERT_TRUE(lines.load(path));
  auto rows = libdw_rows(path);
  ASSERT_GT(rows.size(), 20u);
  for (const auto &[address, where] : rows) EXPECT_EQ(lines.locate(address), where) << std::hex << address;
}

TEST(RuntimeDwarfLines, Dwarf5RowsMatchLibdw) { expect_same_as_libdw(BTC_DWARF_FIXTURE); }

TEST(RuntimeDwarfLines, Dwarf4RowsMatchLibdw) { expect_same_as_libdw(BTC_DWARF_FIXTURE_V4); }

uint64_t symbol_address(const char *binary, const std::string &name) {
  std::string err;
  auto sym = elf_symbol(binary, name, &err);
  EXPECT_TRUE(sym) << err;
  return sym ? sym->address : 0;
}

// An address inside a row's range takes that row; the path is the unit's directory joined with
// the file's (bpftrace's spelling: DIR/FILE:LINE).
TEST(RuntimeDwarfLines, AddressesBetweenRows) {
  DwarfLines lines;
  ASSERT_TRUE(lines.load(BTC_DWARF_FIXTURE));
  std::string dir = std::string(BTC_TEST_DATA_DIR) + "/unit/fixtures/dwarf_fixture.c";
  uint64_t shape = symbol_address(BTC_DWARF_FIXTURE, "fixture_shape");
  EXPECT_EQ(lines.locate(shape), dir + ":37");
  EXPECT_EQ(lines.locate(shape + 1), dir + ":37");
  EXPECT_EQ(lines.locate(symbol_address(BTC_DWARF_FIXTURE, "main")), dir + ":45");
  EXPECT_EQ(lines.locate(0), "");
  EXPECT_EQ(lines.locate(~0ull), "");
}

TEST(RuntimeDwarfLines, FilesWithoutLineTables) {
  DwarfLines lines;
  EXPECT_FALSE(lines.load("/nonexistent"));
  EXPECT_FALSE(lines.load("/proc/self/status"));
  EXPECT_EQ(lines.locate(0x1000), "");
}

// The number of the first line of the inline fixture's source containing `text`.
uint32_t fixture_line(const std::string &text) {
  std::string path = std::string(BTC_TEST_DATA_DIR) + "/unit/fixtures/inline_fixture.c";
  FILE *f = fopen(path.c_str(), "r");
  char buf[512];
  uint32_t n = 0, found = 0;
  while (f && !found && fgets(buf, sizeof(buf), f)) {
    n++;
    if (std::string(buf).find(text) != std::string::npos) found = n;
  }
  if (f) fclose(f);
  EXPECT_NE(found, 0u) << text;
  return found;
}

// At fixture_inline_mark, inner() is inlined into middle(), inlined into outer(): the frames
// are inner (at the statement the mark starts), middle (at its call of inner), outer (at its
// call of middle).
void expect_inlined_frames(const char *binary) {
  DwarfLines lines;
  ASSERT_TRUE(lines.load(binary));
  std::string file = std::string(BTC_TEST_DATA_DIR) + "/unit/fixtures/inline_fixture.c:";
  auto frames = lines.frames(symbol_address(binary, "fixture_inline_mark"));
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].name, "inner");
  EXPECT_EQ(frames[0].where, file + std::to_string(fixture_line("fixture_sink += x;")));
  EXPECT_EQ(frames[1].name, "middle");
  EXPECT_EQ(frames[1].where, file + std::to_string(fixture_line("return inner(x) + 1;")));
  EXPECT_EQ(frames[2].name, "");
  EXPECT_EQ(frames[2].where, file + std::to_string(fixture_line("return middle(x) - 2;")));

  // outer's own first instruction is in no inlined call.
  frames = lines.frames(symbol_address(binary, "outer"));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].where, file + std::to_string(fixture_line("fixture_sink = x;")));

  // The text btc_dwarf_source_line hands to the symbolizer.
  char buf[4096];
  ASSERT_EQ(btc_dwarf_source_line(binary, symbol_address(binary, "fixture_inline_mark"), buf, sizeof(buf)), 0);
  EXPECT_EQ(std::string(buf), "inner\t" + file + std::to_string(fixture_line("fixture_sink += x;")) + "\nmiddle\t" +
                                  file + std::to_string(fixture_line("return inner(x) + 1;")) + "\n" + file +
                                  std::to_string(fixture_line("return middle(x) - 2;")));
}

TEST(RuntimeDwarfLines, InlinedCallsDwarf5) { expect_inlined_frames(BTC_INLINE_FIXTURE_V5); }

TEST(RuntimeDwarfLines, InlinedCallsDwarf4) { expect_inlined_frames(BTC_INLINE_FIXTURE_V4); }

// The C entry point that btc_tool.source_line points at: caches files, cuts to the buffer.
TEST(RuntimeDwarfLines, SourceLineEntryPoint) {
  uint64_t main_address = symbol_address(BTC_DWARF_FIXTURE, "main");
  char buf[4096];
  ASSERT_EQ(btc_dwarf_source_line(BTC_DWARF_FIXTURE, main_address, buf, sizeof(buf)), 0);
  EXPECT_EQ(std::string(buf), std::string(BTC_TEST_DATA_DIR) + "/unit/fixtures/dwarf_fixture.c:45");
  char small[8];
  ASSERT_EQ(btc_dwarf_source_line(BTC_DWARF_FIXTURE, main_address, small, sizeof(small)), 0);
  EXPECT_EQ(std::string(small), std::string(buf).substr(0, 7));
  EXPECT_EQ(btc_dwarf_source_line(BTC_DWARF_FIXTURE, 0, buf, sizeof(buf)), -1);
  EXPECT_EQ(btc_dwarf_source_line("/nonexistent", main_address, buf, sizeof(buf)), -1);
}

}  // namespace
}  // namespace btc::rt
