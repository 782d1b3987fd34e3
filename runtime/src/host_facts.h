// Facts about the machine the tool runs on that BPF code reads from btc_params: the number of
// CPUs, the tool's pid namespace, the TAI clock offset, whether events go through a perf buffer
// and the addresses of kaddr() symbols.
#ifndef BTC_RT_HOST_FACTS_H
#define BTC_RT_HOST_FACTS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "btc/abi.h"

namespace btc::rt {

// Fills ncpus, pidns_dev/pidns_ino, tai_offset_ns, perf_buffer, kfunc_answer, cgroup_id and ksym_addr.
// False with `error` when a cgroupid() path is no cgroup or a kaddr() symbol is not in this kernel;
// `missing` is then the symbol's slot in tool.ksyms (or nksyms when it is not a symbol).
bool fill_host_facts(const btc_tool &tool, btc_params &params, std::string &error, uint32_t &missing);

// The address of kernel symbol `name` in kallsyms text ("ADDR TYPE NAME [module]" lines); the
// first definition wins, as in bpftrace. nullopt when absent (or hidden as 0).
std::optional<uint64_t> find_kernel_symbol(std::string_view kallsyms, const std::string &name);

// The user name of `uid` in passwd text ("name:x:uid:..." lines); "" when there is none.
std::string user_name_in(std::string_view passwd, uint64_t uid);
// The same from /etc/passwd, read once.
std::string user_name(uint64_t uid);

}  // namespace btc::rt

#endif
