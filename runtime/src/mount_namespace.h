// Paths of files as a traced process sees them when it lives in another mount namespace
// (a container): uprobe and usdt binaries named with -p PID. Tools reach it through
// btc_tool.path_seen_by (btc_path_seen_by), which only tools with such probes link.
#ifndef BTC_RT_MOUNT_NAMESPACE_H
#define BTC_RT_MOUNT_NAMESPACE_H

#include <string>

namespace btc::rt {

// `path` as process `pid` sees it: /proc/PID/root/PATH when that process is in another mount
// namespace than the tool (and PATH is not under /proc/PID/root already), else `path` itself.
// pid <= 0, or namespaces that cannot be compared, also give `path`.
std::string path_seen_by(int pid, const std::string &path);

}  // namespace btc::rt

#endif
