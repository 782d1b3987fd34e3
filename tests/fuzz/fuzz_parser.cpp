// libFuzzer target: lexing and parsing any input must neither crash, hang nor leak, and the
// parser's verdict must agree with the diagnostics it reported.
// Build: CC=clang CXX=clang++ cmake -DBTC_FUZZ=ON ... && ./btc_fuzz_parser [corpus-dir]
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "ast/ast_dump.h"
#include "diag/diagnostics.h"
#include "parse/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  btc::SourceFile file("fuzz.bt", std::string(reinterpret_cast<const char *>(data), size));
  btc::Diagnostics diags(file);
  btc::ast::Program program;
  bool ok = btc::parse_program(file, diags, &program);
  if (ok == diags.has_errors()) std::abort();  // success must mean "no errors reported", and back
  // Exercise everything later phases read: every range must render, every node must dump.
  std::ostringstream out;
  diags.render(out);
  out << btc::ast::dump(program);
  return 0;
}
