#include "driver/list_probes.h"

#include <fnmatch.h>

#include <iostream>
#include <vector>

#include "btf/kernel_btf.h"
#include "btf/tracepoints.h"
#include "elf/dwarf_types.h"
#include "elf/elf_symbols.h"

namespace btc {

// -lv: the parameters of uprobe function `fn`, "    int* n", as DWARF declares them.
static void list_params(DwarfTypes &dw, const std::string &fn, std::ostream &out) {
  auto params = dw.function_params(fn);
  if (!params) return;
  for (const auto &p : *params) out << "    " << p.spelling << (p.name.empty() ? "" : " " + p.name) << "\n";
}

// uprobe:BIN:GLOB and usdt:BIN:GLOB list the binary's function symbols / USDT notes.
static int list_binary(const std::string &kind, const std::string &rest, std::ostream &out, bool verbose) {
  size_t colon = rest.find(':');
  std::string bin = rest.substr(0, colon);
  std::string glob = colon == std::string::npos ? "*" : rest.substr(colon + 1);
  std::string path = resolve_binary_path(bin);
  std::string err;
  if (path.empty()) {
    std::cerr << "btc: error: binary '" << bin << "' not found\n";
    return 1;
  }
  if (kind == "uprobe") {
    auto syms = elf_function_symbols(path, &err);
    if (!syms) {
      std::cerr << "btc: error: " << err << "\n";
      return 1;
    }
    std::unique_ptr<DwarfTypes> dw;
    if (verbose) {
      dw = DwarfTypes::open(path, &err);
      if (!dw) std::cerr << "btc: warning: No DWARF found for \"" << path << "\", cannot show parameter info\n";
    }
    for (const auto &s : *syms) {
      if (fnmatch(glob.c_str(), s.c_str(), 0) != 0) continue;
      out << "uprobe:" << path << ":" << s << "\n";
      if (dw) list_params(*dw, s, out);
    }
    return 0;
  }
  auto notes = elf_usdt_notes(path, &err);
  if (!notes) {
    std::cerr << "btc: error: " << err << "\n";
    return 1;
  }
  for (const auto &n : *notes) {
    std::string name = n.provider + ":" + n.name;
    if (fnmatch(glob.c_str(), name.c_str(), 0) == 0 || fnmatch(glob.c_str(), n.name.c_str(), 0) == 0)
      out << "usdt:" << path << ":" << name << "\n";
  }
  return 0;
}

int list_probes(const std::string &pattern, const std::string &btf_path, std::ostream &out, bool verbose) {
  for (const char *kind : {"uprobe", "usdt"}) {
    std::string prefix = std::string(kind) + ":";
    if (pattern.rfind(prefix, 0) == 0) return list_binary(kind, pattern.substr(prefix.size()), out, verbose);
  }
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
