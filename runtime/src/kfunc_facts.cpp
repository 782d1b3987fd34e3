#include "kfunc_facts.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace btc::rt {

// May a program of `prog_type` call kfunc `name` (BTF id `btf_id`)? As bpftrace's
// BPFfeature::kfunc_allowed: a program that only calls it and exits is loaded; the kfunc is
// allowed unless the verifier's log says "calling kernel function NAME is not allowed" (any
// other refusal, such as missing arguments, is not about the program type).
static bool kfunc_allowed(int btf_id, const char *name, uint32_t prog_type) {
  struct bpf_insn insns[2];
  memset(insns, 0, sizeof insns);
  insns[0].code = BPF_JMP | BPF_CALL;
  insns[0].src_reg = BPF_PSEUDO_KFUNC_CALL;
  insns[0].imm = btf_id;
  insns[1].code = BPF_JMP | BPF_EXIT;
  char log[4096] = "";
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_level = 1, .log_size = sizeof log, .log_buf = log);
  int fd = bpf_prog_load(static_cast<bpf_prog_type>(prog_type), nullptr, "GPL", insns, 2, &opts);
  if (fd >= 0) {
    close(fd);
    return true;
  }
  std::string refusal = std::string("calling kernel function ") + name + " is not allowed";
  return strstr(log, refusal.c_str()) == nullptr;
}

void answer_kfunc_queries(const btc_tool &tool, btc_params &params) {
  if (tool.nkfunc_queries == 0) return;
  struct btf *vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) return;
  for (uint32_t i = 0; i < tool.nkfunc_queries && i < BTC_MAX_KFUNC_QUERIES; i++) {
    const btc_kfunc_query &q = tool.kfunc_queries[i];
    int id = btf__find_by_name_kind(vmlinux, q.name, BTF_KIND_FUNC);
    if (id <= 0) continue;
    params.kfunc_answer[i] = q.prog_type == 0 || kfunc_allowed(id, q.name, q.prog_type);
  }
  btf__free(vmlinux);
}

}  // namespace btc::rt

// btc_tool.answer_kfunc_queries (only tools that ask kfunc_exist()/kfunc_allowed() link this file).
extern "C" void btc_answer_kfunc_queries(const btc_tool *tool, btc_params *params) {
  btc::rt::answer_kfunc_queries(*tool, *params);
}
