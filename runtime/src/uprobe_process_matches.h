// uprobe:*:glob with -p PID: the functions matching the glob in every file the process maps, as
// bpftrace finds them (its executable first, then /proc/PID/maps, each file once, named under
// /proc/PID/root so that they are the process's files even in another mount namespace).
#ifndef BTC_RT_UPROBE_PROCESS_MATCHES_H
#define BTC_RT_UPROBE_PROCESS_MATCHES_H

#include <cstdint>
#include <string>
#include <vector>

namespace btc::rt {

struct ProcessFileMatches {
  std::string path;                    // "/proc/PID/root/usr/lib/libc.so.6"
  std::vector<std::string> funcs;      // the matching functions, by name
  std::vector<unsigned long> offsets;  // their file offsets (for the kernel), by funcs' index
};

// The files of process pid with at least one function matching glob.
std::vector<ProcessFileMatches> find_process_matches(int pid, const std::string &glob);
// -c CMD: the same in the command's executable `path` alone (it maps nothing yet when the probes
// attach); empty or one entry.
std::vector<ProcessFileMatches> find_file_matches(const std::string &path, const std::string &glob);

}  // namespace btc::rt

#endif
