// Calls to the functions of imported .bpf.c files, which the BPF C #includes
// (emit_script_definitions): C converts integer arguments to the parameter types.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

std::string BpfEmitter::extern_call(const Expr &e) {
  const ProgramInfo::ExternFunction &f = info_.extern_functions.at(e.name);
  std::string args;
  for (size_t i = 0; i < e.args.size(); i++) {
    std::string a = int_expr(*e.args[i]);
    if (f.params[i].kind == TypeKind::Pointer) a = "(void *)(long)(" + a + ")";
    args += (i ? ", " : "") + a;
  }
  std::string call = e.name + "(" + args + ")";
  if (f.ret.kind == TypeKind::Void) return call;
  if (f.ret.kind == TypeKind::Pointer) return "((__u64)(long)" + call + ")";
  return std::string(f.ret.is_signed ? "((__s64)" : "((__u64)") + call + ")";
}

}  // namespace btc::bpf_emitter_internal
