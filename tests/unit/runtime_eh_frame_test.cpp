// dw_ustack's unwind tables (runtime/src/eh_frame.cpp) against binutils: every row that
// `readelf --debug-dump=frames-interp` shows must be what btc's table says at that pc.
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "eh_frame.h"

using btc::rt::find_unwind_row;
using btc::rt::kCfaNone;
using btc::rt::kCfaPlt;
using btc::rt::kCfaRbp;
using btc::rt::kCfaRsp;
using btc::rt::UnwindFile;
using btc::rt::UnwindRow;

namespace {

struct ReadelfRow {
  uint64_t pc;
  std::string cfa, rbp, ra;
};

std::string run(const std::string &command) {
  std::string out;
  FILE *p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// The rows readelf prints for .eh_frame: one per "LOC CFA ..." table line, with the CFA, rbp and
// ra columns ("u" when the table has no rbp column).
std::vector<ReadelfRow> readelf_rows(const std::string &path) {
  std::vector<ReadelfRow> rows;
  std::istringstream in(run("readelf --debug-dump=frames-interp " + path + " 2>/dev/null"));
  std::string line;
  std::vector<std::string> columns;
  bool in_eh_frame = false, in_fde = false;
  while (std::getline(in, line)) {
    if (line.starts_with("Contents of the ")) in_eh_frame = line.find(".eh_frame section") != std::string::npos;
    if (!in_eh_frame) continue;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty()) continue;
    if (w[0] == "LOC") {
      if (in_fde) columns = w;  // a CIE's table is its initial rules, at no particular pc
      continue;
    }
    if (line.find(" FDE ") != std::string::npos || line.find(" CIE") != std::string::npos) {
      in_fde = line.find(" FDE ") != std::string::npos;
      columns.clear();
      continue;
    }
    if (columns.empty() || w.size() != columns.size() || w[0].size() != 16) continue;
    ReadelfRow r{std::stoull(w[0], nullptr, 16), w[1], "u", "u"};
    for (size_t i = 2; i < columns.size(); i++) {
      if (columns[i] == "rbp") r.rbp = w[i];
      if (columns[i] == "ra") r.ra = w[i];
    }
    rows.push_back(r);
  }
  return rows;
}

// Compares every readelf row with btc's row at its pc; returns the number compared.
size_t compare_with_readelf(const std::string &path) {
  UnwindFile file;
  std::string error;
  EXPECT_TRUE(btc::rt::read_unwind_file(path, file, error)) << error;
  std::vector<ReadelfRow> expected = readelf_rows(path);
  for (const ReadelfRow &e : expected) {
    const UnwindRow *row = find_unwind_row(file.rows, e.pc);
    EXPECT_NE(row, nullptr) << path << " pc " << std::hex << e.pc;
    if (!row) continue;
    bool followable = (e.cfa.starts_with("rsp+") || e.cfa.starts_with("rbp+")) && e.ra == "c-8" &&
                      (e.rbp == "u" || e.rbp.starts_with("c-") || e.rbp.starts_with("c+"));
    std::string where = path + " pc " + std::to_string(e.pc);
    if (e.cfa == "exp") {  // only PLT stubs' expression is followed
      EXPECT_TRUE(row->cfa_reg == kCfaNone || row->cfa_reg == kCfaPlt) << where;
      continue;
    }
    if (!followable) {
      EXPECT_EQ(row->cfa_reg, kCfaNone) << where;
      continue;
    }
    EXPECT_EQ(row->cfa_reg, e.cfa.starts_with("rsp") ? kCfaRsp : kCfaRbp) << where;
    EXPECT_EQ(row->cfa_offset, std::stol(e.cfa.substr(4))) << where;
    EXPECT_EQ(row->rbp_saved, e.rbp != "u") << where;
    if (e.rbp != "u") EXPECT_EQ(row->rbp_offset, std::stol(e.rbp.substr(1))) << where;
  }
  return expected.size();
}

TEST(EhFrame, NoFramePointerWorkloadMatchesReadelf) { EXPECT_GT(compare_with_readelf(BTC_NOFP_WORKLOAD), 10u); }

TEST(EhFrame, LibcMatchesReadelf) {
  const char *libc = "/lib/x86_64-linux-gnu/libc.so.6";
  if (FILE *f = fopen(libc, "r")) {
    fclose(f);
    EXPECT_GT(compare_with_readelf(libc), 1000u);
  } else {
    GTEST_SKIP() << "no " << libc;
  }
}

// The workload's functions: funcB keeps an rbp frame (CFA = rbp + 16 in its body), the others
// are rsp-based; code between functions that no FDE covers stops the unwinder; the PLT's stubs
// have the expression btc follows.
TEST(EhFrame, WorkloadRowsHaveBothFrameKinds) {
  UnwindFile file;
  std::string error;
  ASSERT_TRUE(btc::rt::read_unwind_file(BTC_NOFP_WORKLOAD, file, error)) << error;
  bool rbp_rows = false, rsp_rows = false, stop_rows = false, plt_rows = false;
  for (const UnwindRow &r : file.rows) {
    rbp_rows |= r.cfa_reg == kCfaRbp && r.rbp_saved;
    rsp_rows |= r.cfa_reg == kCfaRsp;
    stop_rows |= r.cfa_reg == kCfaNone;
    plt_rows |= r.cfa_reg == kCfaPlt && r.cfa_offset == 11;  // the stubs of .plt (lazy binding)
  }
  EXPECT_TRUE(rbp_rows);
  EXPECT_TRUE(rsp_rows);
  EXPECT_TRUE(stop_rows);
  EXPECT_TRUE(plt_rows);
  bool executable = false;
  for (const auto &s : file.segments) executable |= s.executable;
  EXPECT_TRUE(executable);
  EXPECT_EQ(find_unwind_row(file.rows, 0), nullptr);
}

// Hand-written sections: a CIE (rsp + 8, return address at CFA - 8) and one FDE whose program
// pushes rbp and makes it the CFA register.
TEST(EhFrame, ParsesHandWrittenSection) {
  std::vector<uint8_t> cie = {0,    0,    0,  0,    1,    'z', 'R', 0,  // id 0, version 1, "zR"
                              1,    0x78, 16, 1,    0x1b,  // code 1, data -8, ra 16, aug length 1, enc pcrel|sdata4
                              0x0c, 7,    8,  0x90, 1};    // def_cfa rsp 8; offset ra 1 (CFA - 8)
  while (cie.size() % 4) cie.push_back(0);                 // DW_CFA_nop
  std::vector<uint8_t> s = {static_cast<uint8_t>(cie.size()), 0, 0, 0};
  s.insert(s.end(), cie.begin(), cie.end());
  size_t fde = s.size();
  std::vector<uint8_t> body = {
      0,    0,    0,  0,  // CIE pointer (filled below)
      0,    0,    0,  0,  // pc_begin (pcrel, filled below)
      0x20, 0,    0,  0,  // pc_range 0x20
      0,                  // augmentation data length
      0x41, 0x0e, 16,     // advance 1; def_cfa_offset 16
      0x86, 2,            // offset rbp: CFA - 16
      0x43, 0x0d, 6,      // advance 3; def_cfa_register rbp
      0x4f, 0x0c, 7,  8,  // advance 15; def_cfa rsp 8
  };
  uint32_t length = static_cast<uint32_t>(body.size());
  for (int i = 0; i < 4; i++) s.push_back(static_cast<uint8_t>(length >> (8 * i)));
  uint32_t cie_pointer = static_cast<uint32_t>(fde + 4);
  int32_t pc_rel = static_cast<int32_t>(0x1000 - (0x400 + fde + 8));  // section at 0x400, function at 0x1000
  for (int i = 0; i < 4; i++) body[i] = static_cast<uint8_t>(cie_pointer >> (8 * i));
  for (int i = 0; i < 4; i++) body[4 + i] = static_cast<uint8_t>(static_cast<uint32_t>(pc_rel) >> (8 * i));
  s.insert(s.end(), body.begin(), body.end());
  s.insert(s.end(), {0, 0, 0, 0});

  std::vector<UnwindRow> rows;
  std::string error;
  ASSERT_TRUE(btc::rt::parse_eh_frame(s.data(), s.size(), 0x400, rows, error)) << error;
  const UnwindRow *r = find_unwind_row(rows, 0x1000);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->cfa_reg, kCfaRsp);
  EXPECT_EQ(r->cfa_offset, 8);
  EXPECT_FALSE(r->rbp_saved);
  r = find_unwind_row(rows, 0x1002);
  EXPECT_EQ(r->cfa_offset, 16);
  EXPECT_TRUE(r->rbp_saved);
  EXPECT_EQ(r->rbp_offset, -16);
  r = find_unwind_row(rows, 0x1004);
  EXPECT_EQ(r->cfa_reg, kCfaRbp);
  EXPECT_EQ(r->cfa_offset, 16);
  r = find_unwind_row(rows, 0x1013);
  EXPECT_EQ(r->cfa_reg, kCfaRsp);
  EXPECT_EQ(r->cfa_offset, 8);
  EXPECT_EQ(find_unwind_row(rows, 0x1020)->cfa_reg, kCfaNone);  // past the function
  EXPECT_EQ(find_unwind_row(rows, 0xfff), nullptr);
}

TEST(EhFrame, RejectsTruncatedSection) {
  std::vector<uint8_t> s = {40, 0, 0, 0, 0, 0, 0, 0, 1};
  std::vector<UnwindRow> rows;
  std::string error;
  EXPECT_FALSE(btc::rt::parse_eh_frame(s.data(), s.size(), 0, rows, error));
  EXPECT_NE(error.find("truncated"), std::string::npos);
}

}  // namespace
