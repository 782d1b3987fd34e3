// The files a process maps (see process_files.h).
#include "process_files.h"

#include <unistd.h>

#include <algorithm>

#include "text_file.h"
#include "user_symbols.h"

namespace btc::rt {

std::vector<std::string> process_files(int pid) {
  std::string proc = "/proc/" + std::to_string(pid);
  std::vector<std::string> files;
  auto add = [&](const std::string &path) {
    if (path.empty() || path[0] != '/' || path.find("(deleted)") != std::string::npos) return;
    if (std::find(files.begin(), files.end(), path) == files.end()) files.push_back(path);
  };
  char exe[4096];
  ssize_t n = readlink((proc + "/exe").c_str(), exe, sizeof exe - 1);
  if (n > 0) add(std::string(exe, static_cast<size_t>(n)));
  for (const Mapping &m : parse_proc_maps(read_text_file(proc + "/maps"))) add(m.path);
  return files;
}

}  // namespace btc::rt
