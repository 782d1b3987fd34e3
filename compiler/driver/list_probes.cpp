#include "driver/list_probes.h"

#include <fnmatch.h>

#include <iostream>
#include <vector>

#include "btf/kernel_btf.h"
#include "btf/tracepoints.h"

namespace btc {

int list_probes(const std::string &pattern, const std::string &btf_path, std::ostream &out) {
  std::string err;
  auto btf = KernelBtf::load(btf_path, &err);
  if (!btf) {
    std::cerr << "btc: error: cannot list probes: " << err << "\n";
    return 1;
  }
  // bpftrace accepts a bare word as "anything containing it"; a pattern with ':' is matched whole.
  std::string glob = pattern.empty() ? "*" : pattern;
  if (glob.find_first_of("*?[:") == std::string::npos) glob = "*" + glob + "*";
  auto emit = [&](const std::string &name) {
    if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) out << name << "\n";
  };
  emit("BEGIN");
  emit("END");
  for (const char *sw : {"alignment-faults", "bpf-output", "context-switches", "cpu-clock", "cpu-migrations",
                         "dummy", "emulation-faults", "major-faults", "minor-faults", "page-faults", "task-clock"})
    emit(std::string("software:") + sw + ":");
  for (const auto &tp : list_tracepoints(*btf)) emit("tracepoint:" + tp);
  for (const char *kind : {"kprobe", "kretprobe", "fentry", "fexit"})
    for (const auto &fn : btf->function_names()) emit(std::string(kind) + ":" + fn);
  return 0;
}

}  // namespace btc
