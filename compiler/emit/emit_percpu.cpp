// percpu_kaddr(): each per-CPU kernel variable is declared as a typed ksym, `extern const T name
// __ksym;` with its type from the build host's BTF. libbpf finds the variable in the target
// kernel's BTF as it loads, the verifier its address in kallsyms (which lists variables only with
// CONFIG_KALLSYMS_ALL; either failing stops the load with one line, runtime/src/verifier_log.h),
// and bpf_this_cpu_ptr / bpf_per_cpu_ptr give its address on a CPU (per_cpu_ptr: NULL past the last).
// The script gets that address as a plain uint64 (as in bpftrace), read back through the stack by
// btc_percpu_addr(): the verifier then tracks a number, not a maybe-NULL pointer it would refuse
// to compare, subtract or store before a NULL check.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

void BpfEmitter::emit_percpu_externs() {
  if (info_.percpu_vars.empty() || !btf_) return;
  for (const auto &v : info_.percpu_vars)
    out_ << "extern const " << btf_->c_declaration(v.btf_type_id, v.name) << " __ksym;  /* percpu_kaddr() */\n";
  out_ << "static __always_inline __u64 btc_percpu_addr(const void *p) {\n"
       << "  __u64 v = 0;\n"
       << "  bpf_probe_read_kernel(&v, sizeof(v), &p);\n"
       << "  return v;\n"
       << "}\n\n";
}

std::string BpfEmitter::percpu_kaddr(const Expr &e) {
  std::string var = "&" + e.args[0]->sval;
  if (e.args.size() == 1) return "btc_percpu_addr(bpf_this_cpu_ptr(" + var + "))";
  return "btc_percpu_addr(bpf_per_cpu_ptr(" + var + ", (__u32)(" + int_expr(*e.args[1]) + ")))";
}

}  // namespace btc::bpf_emitter_internal
