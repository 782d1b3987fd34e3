// Attaching usdt:*:provider:name globs (BTC_PROBE_USDT with target "*") over the files of the
// -p process (with -c CMD: the command's executable): the matches are found before the object loads, each gets a USDT cookie that names
// it in BTC_USDT_NAMES_MAP (the `probe` builtin), and libbpf attaches each one, decoding its
// arguments from the note at run time. Reached only through btc_tool.usdt_process_functions, so
// that tools without such probes do not link this code.
#ifndef BTC_RT_USDT_PROCESS_H
#define BTC_RT_USDT_PROCESS_H

#include <cstdint>
#include <cstring>
#include <string>

#include "btc/abi.h"

struct bpf_object;
struct bpf_program;

namespace btc::rt {
class Links;
}

struct btc_usdt_process_attacher {
  // Between open and load: finds the matches in process pid (when pid <= 0: in the -c command's
  // executable, else none) and sizes the names table and libbpf's USDT maps to fit them.
  // Returns how many matches it found (bpftrace attaches one probe per match).
  uint32_t (*prepare)(const btc_tool &tool, bpf_object *obj, int pid);
  // Attaches prog to every match of probe; how many it attached (all of them), or 0 and a reason.
  uint32_t (*attach)(const btc_tool &tool, const btc_probe_desc &probe, bpf_program *prog, int pid,
                     btc::rt::Links &links, std::string &reason);
};

namespace btc::rt {

// Whether probe is a usdt glob matched at run time (abi.h, BTC_PROBE_USDT).
inline bool is_usdt_process_glob(const btc_probe_desc &probe) {
  return probe.kind == BTC_PROBE_USDT && probe.target && strcmp(probe.target, "*") == 0;
}

}  // namespace btc::rt

#endif
