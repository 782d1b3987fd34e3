// BPF C emission: turns the checked AST into one C file for `clang -target bpf`.
// Field accesses through kernel types go through preserve_access_index records (CO-RE).
#pragma once
#include <string>

#include "ast/ast.h"
#include "btf/kernel_btf.h"
#include "check/program_info.h"

namespace btc {

// `script_name` is used in #line directives so clang and verifier messages point at the .bt file;
// `c_name` is the emitted file's own name (for #line after script-derived code).
std::string emit_bpf_c(const ast::Program &prog, const ProgramInfo &info, const KernelBtf *btf,
                       const std::string &script_name, const std::string &c_name);

}  // namespace btc
