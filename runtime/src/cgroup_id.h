// cgroupid("path"): the id of a cgroup v2 directory, found on the machine the tool runs on.
// Tools reach it only through btc_tool.cgroup_id_of (btc_cgroup_id_of in btc/abi.h), set when
// the script calls cgroupid(), so that other tools do not link it.
#ifndef BTC_RT_CGROUP_ID_H
#define BTC_RT_CGROUP_ID_H

#include <cstdint>
#include <optional>
#include <string>

namespace btc::rt {

// The cgroup id of `path` (the 64-bit handle cgroupfs gives it, which is also the id the kernel
// reports through bpf_get_current_cgroup_id). nullopt with `error` set (bpftrace's wording) when
// the path has none.
std::optional<uint64_t> cgroup_id_of(const std::string &path, std::string &error);

}  // namespace btc::rt

#endif
