// cgroup_path(id, filter): the path of a cgroup in every mounted cgroup hierarchy, found in user
// space when the value is printed, as bpftrace does it. Tools reach it only through
// btc_tool.cgroup_path_functions, set when the script prints a cgroup path.
#ifndef BTC_RT_CGROUP_PATH_H
#define BTC_RT_CGROUP_PATH_H

#include <cstdint>
#include <string>

namespace btc::rt {

// "unified:/user.slice/...,cpu:/..." -- the cgroup v2 hierarchies first (named "unified"), then the
// v1 ones (named after their mount directory) sorted by name; only hierarchies whose name matches
// `filter` (a pattern where '*' matches any text) and that contain the cgroup are listed.
std::string resolve_cgroup_path(uint64_t cgroup_id, const std::string &filter);

// The '*' pattern match used for the filter.
bool wildcard_match(const std::string &pattern, const std::string &text);

}  // namespace btc::rt

// What btc_tool.cgroup_path_functions points at (btc_cgroup_path_functions).
struct btc_cgroup_path_lookup {
  std::string (*resolve)(uint64_t cgroup_id, const std::string &filter);
};

#endif
