// usdt:*:provider:name globs with -p PID: the USDT probes of the files the process maps whose
// provider and name match, as bpftrace expands them (each file named under /proc/PID/root, so
// that it is the process's file even in another mount namespace).
#ifndef BTC_RT_USDT_PROCESS_MATCHES_H
#define BTC_RT_USDT_PROCESS_MATCHES_H

#include <cstdint>
#include <string>
#include <vector>

namespace btc::rt {

struct UsdtMatch {
  std::string path;  // "/proc/PID/root/usr/bin/app"
  std::string provider, name;
  uint32_t locations = 0;  // how many places of the file fire it
};

// The matching probes of process pid's files, each once, sorted by path, provider and name
// (bpftrace's order); empty when none matches or the process is gone.
std::vector<UsdtMatch> find_usdt_matches(int pid, const std::string &provider_glob, const std::string &name_glob);
// -c CMD: the same in the command's executable `path` alone (it maps nothing yet when the probes
// attach).
std::vector<UsdtMatch> find_usdt_file_matches(const std::string &path, const std::string &provider_glob,
                                              const std::string &name_glob);

}  // namespace btc::rt

#endif
