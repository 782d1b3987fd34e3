#include "fentry_trial.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cstring>

#include "vmlinux_btf.h"

namespace btc::rt {

bool fentry_trial_attach(const btc_probe_desc &probe, std::string &reason) {
  const btf *types = vmlinux_btf();
  int id = types && probe.func ? btf__find_by_name_kind(types, probe.func, BTF_KIND_FUNC) : -1;
  if (id < 0) return true;
  // r0 = 0; exit
  const bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .src_reg = 0, .off = 0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts,
              .expected_attach_type = probe.kind == BTC_PROBE_FEXIT ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY,
              .attach_btf_id = static_cast<__u32>(id));
  int prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "btc_trial", "GPL", insns, 2, &opts);
  if (prog < 0) {
    reason = strerror(-prog);
    return false;
  }
  int link = bpf_raw_tracepoint_open(nullptr, prog);  // the trampoline attaches (or not) here
  int err = link < 0 ? -link : 0;
  if (link >= 0) close(link);
  close(prog);
  if (err) reason = strerror(err);
  return err == 0;
}

}  // namespace btc::rt
