// bpftrace's cache_user_symbols for ustack and usym frames. PER_PID (btc's usual way, in
// user_symbols.cpp) names an address through the mappings of the process that took it.
// PER_PROGRAM, bpftrace's default when the tool runs a command (-c) or ASLR is off, takes every
// address as a virtual address of the program's ELF file: the process's executable, or, once
// the process is gone, the binary of the uprobe/usdt probe that took the address. That is
// right for executables loaded at a fixed address, and names frames of exited processes.
// Linked only into tools that show user symbols (btc_tool.user_symbol_cache).
#include <unistd.h>

#include <cstdio>

#include "printable.h"
#include "user_symbols.h"

namespace btc::rt {
namespace {

const btc_probe_desc *g_probes = nullptr;
uint32_t g_nprobes = 0;

// bpftrace's test: ASLR is off when /proc/sys/kernel/randomize_va_space holds 0.
bool aslr_enabled() {
  int level = 1;
  if (FILE *file = fopen("/proc/sys/kernel/randomize_va_space", "re")) {
    if (fscanf(file, "%d", &level) != 1) level = 1;
    fclose(file);
  }
  return level >= 1;
}

// The program of process `pid`, else the binary of probe `probe` (1 + its index; 0: unknown)
// when it is a uprobe, uretprobe or usdt probe; "" when neither is known.
std::string program(uint32_t pid, uint32_t probe) {
  char path[4096];
  ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), path, sizeof(path));
  if (n > 0 && static_cast<size_t>(n) < sizeof(path)) return std::string(path, static_cast<size_t>(n));
  if (probe == 0 || probe > g_nprobes) return "";
  const btc_probe_desc &p = g_probes[probe - 1];
  bool user = p.kind == BTC_PROBE_UPROBE || p.kind == BTC_PROBE_URETPROBE || p.kind == BTC_PROBE_USDT;
  return user && p.target ? p.target : "";
}

std::string resolve_in_program(UserSymbols &symbols, uint64_t owner, uint64_t address, bool with_module,
                               bool with_offset, bool with_source) {
  std::string path = program(static_cast<uint32_t>(owner), static_cast<uint32_t>(owner >> 32));
  const ElfFunctions *elf = path.empty() ? nullptr : symbols.functions(path);
  std::string name = elf ? elf->symbolize(address, with_offset) : "";
  if (name.empty()) return format_address(address) + (with_module ? " ([unknown])" : "");
  if (with_source) return with_source_frames(name, path, address, with_module);
  return with_module ? name + " (" + path + ")" : name;
}

void setup(const btc_tool &tool, bool runs_command) {
  uint32_t mode = tool.user_symbol_mode;
  if (mode == BTC_USYMS_DEFAULT) mode = runs_command || !aslr_enabled() ? BTC_USYMS_PER_PROGRAM : BTC_USYMS_PER_PID;
  if (mode != BTC_USYMS_PER_PROGRAM) return;
  g_probes = tool.probes;
  g_nprobes = tool.nprobes;
  set_user_symbol_cache(&btc_user_symbol_cache_functions);
}

}  // namespace
}  // namespace btc::rt

extern "C" const btc_user_symbol_cache btc_user_symbol_cache_functions = {btc::rt::setup, btc::rt::resolve_in_program};
