// The files a process maps, as bpftrace looks for probes in them (uprobe:*:glob and
// usdt:*:provider:name with -p): its executable first, then each file of /proc/PID/maps.
#ifndef BTC_RT_PROCESS_FILES_H
#define BTC_RT_PROCESS_FILES_H

#include <string>
#include <vector>

namespace btc::rt {

// The files of process pid as it names them, each once (deleted ones left out); empty when the
// process is gone.
std::vector<std::string> process_files(int pid);

}  // namespace btc::rt

#endif
