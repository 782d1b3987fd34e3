// Shared fixture of the compiler's unit tests: parse, expand macros and check a script, keep
// everything alive, and give the first diagnostic.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "btf/kernel_btf.h"
#include "check/checker.h"
#include "emit/bpf_emitter.h"
#include "expand/macro_expansion.h"
#include "parse/parser.h"

namespace btc::testing {

struct Checked {
  std::unique_ptr<SourceFile> file;
  std::unique_ptr<Diagnostics> diags;
  ast::Program prog;
  ProgramInfo info;
  bool ok = false;

  std::string first_error() const { return diags->all().empty() ? "" : diags->all()[0].message; }
  int first_error_col() const { return diags->all().empty() ? 0 : diags->all()[0].range.begin.col; }
  std::string errors() const {
    std::ostringstream ss;
    diags->render(ss);
    return ss.str();
  }
};

// The build host's kernel BTF, loaded once (nullptr when the machine has none).
inline const KernelBtf *host_btf() {
  static std::unique_ptr<KernelBtf> btf = [] {
    std::string err;
    return KernelBtf::load("/sys/kernel/btf/vmlinux", &err);
  }();
  return btf.get();
}

inline std::unique_ptr<Checked> check(const std::string &text, const KernelBtf *btf = nullptr) {
  auto c = std::make_unique<Checked>();
  c->file = std::make_unique<SourceFile>("t.bt", text);
  c->diags = std::make_unique<Diagnostics>(*c->file);
  if (!parse_program(*c->file, *c->diags, &c->prog) || !expand_macros(c->prog, *c->diags)) return c;
  c->ok = check_program(c->prog, btf, *c->diags, &c->info);
  return c;
}

// A script that must check against the build host's kernel BTF (which lists its tracepoints).
inline std::unique_ptr<Checked> check_with_host_btf(const std::string &text) {
  EXPECT_NE(host_btf(), nullptr) << "needs /sys/kernel/btf/vmlinux";
  auto c = check(text, host_btf());
  EXPECT_TRUE(c->ok) << c->errors();
  return c;
}

// The BPF C the emitter makes of a script that must check (without kernel BTF).
inline std::string emitted_bpf(const std::string &script) {
  auto c = check(script);
  EXPECT_TRUE(c->ok) << c->errors();
  return emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
}

inline bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// A script the checker must refuse: a substring of its first error and that error's column.
struct Refusal {
  const char *script;
  const char *message;
  int col;
};

inline void expect_refusal(const Checked &c, const Refusal &r) {
  ASSERT_FALSE(c.ok);
  ASSERT_FALSE(c.diags->all().empty());
  const Diagnostic &d = c.diags->all()[0];
  EXPECT_NE(d.message.find(r.message), std::string::npos) << d.message;
  EXPECT_EQ(d.range.begin.col, r.col) << d.message;
}

}  // namespace btc::testing
