// dw_ustack's start-up: the target process's unwind tables. For each executable mapping of the
// process (/proc/PID/maps) the file's .eh_frame rows (eh_frame.h) go into the BPF maps the
// unwinder in templates/btc_dw_unwind.h reads: one btc_dw_module per mapping with the load bias,
// the rows of all files in one array. A -c child is first run to its entry point (stopped there
// under ptrace until the probes are attached), so that its shared libraries are mapped.
//
// Reached only through btc_tool.dw_unwind (btc_dw_unwind_functions), which only tools that take
// dw_ustack set, so that other tools do not link this code.
#ifndef BTC_RT_DW_UNWIND_H
#define BTC_RT_DW_UNWIND_H

#include <cstdint>
#include <string>
#include <vector>

#include "btc/abi.h"
#include "user_symbols.h"

struct bpf_object;

namespace btc::rt {

class ChildProcess;
struct CliOptions;

// The executable mappings of files in /proc/PID/maps text `maps` (deleted files left out).
std::vector<Mapping> parse_exec_mappings(const std::string &maps);

// The tables of process `pid` (its files opened through /proc/PID/root): modules sorted by start.
// Files that cannot be read are left out; a message for the first one goes to `note`.
void build_unwind_tables(int pid, std::vector<btc_dw_module> &modules, std::vector<btc_dw_row> &rows,
                         std::string &note);

}  // namespace btc::rt

struct btc_dw_unwind {
  // After the object is loaded, before anything attaches: writes the tables of the target process
  // (--dwarf-pid, else the -c child, first run to its entry point, else -p) into the object's
  // maps. False, with the message printed, when the tool cannot go on (no target process).
  bool (*start)(bpf_object *object, const btc::rt::CliOptions &options, btc::rt::ChildProcess *child);
};

#endif
