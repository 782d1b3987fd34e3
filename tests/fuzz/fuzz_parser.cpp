// libFuzzer target for the front end: lexing, parsing and checking any input must neither crash,
// hang nor leak, and each phase's verdict must agree with the diagnostics it reported.
// Build: CC=clang-19 CXX=clang++-19 cmake -DBTC_FUZZ=ON ... && ./btc_fuzz_parser [corpus-dir]
// The checker runs against this machine's kernel BTF when it is readable (as btc does).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "ast/ast_dump.h"
#include "btf/kernel_btf.h"
#include "check/checker.h"
#include "diag/diagnostics.h"
#include "parse/parser.h"

static const btc::KernelBtf *kernel_btf() {
  static std::unique_ptr<btc::KernelBtf> btf = [] {
    std::string err;
    return btc::KernelBtf::load("/sys/kernel/btf/vmlinux", &err);
  }();
  return btf.get();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  btc::SourceFile file("fuzz.bt", std::string(reinterpret_cast<const char *>(data), size));
  btc::Diagnostics diags(file);
  btc::ast::Program program;
  bool ok = btc::parse_program(file, diags, &program);
  if (ok == diags.has_errors()) std::abort();  // success must mean "no errors reported", and back
  std::ostringstream out;
  out << btc::ast::dump(program);
  if (ok) {
    btc::ProgramInfo info;
    bool checked = btc::check_program(program, kernel_btf(), diags, &info);
    if (checked == diags.has_errors()) std::abort();
  }
  // Every range of every phase must render.
  diags.render(out);
  return 0;
}
