// Finding a uprobe glob's functions in the files a process maps (see uprobe_process_matches.h).
#include "uprobe_process_matches.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "user_symbols.h"

namespace btc::rt {

// The files of process pid as it names them: its executable, then each file it maps, each once
// (deleted ones left out).
static std::vector<std::string> process_files(int pid) {
  std::string proc = "/proc/" + std::to_string(pid);
  std::vector<std::string> files;
  auto add = [&](const std::string &path) {
    if (path.empty() || path[0] != '/' || path.find("(deleted)") != std::string::npos) return;
    if (std::find(files.begin(), files.end(), path) == files.end()) files.push_back(path);
  };
  char exe[4096];
  ssize_t n = readlink((proc + "/exe").c_str(), exe, sizeof exe - 1);
  if (n > 0) add(std::string(exe, static_cast<size_t>(n)));
  std::string text;
  if (FILE *f = fopen((proc + "/maps").c_str(), "re")) {
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, got);
    fclose(f);
  }
  for (const Mapping &m : parse_proc_maps(text)) add(m.path);
  return files;
}

std::vector<ProcessFileMatches> find_process_matches(int pid, const std::string &glob) {
  std::vector<ProcessFileMatches> out;
  for (const std::string &file : process_files(pid)) {
    ProcessFileMatches matches;
    matches.path = "/proc/" + std::to_string(pid) + "/root" + file;
    ElfFunctions elf;
    if (!elf.load(matches.path)) continue;
    for (const auto &[name, vaddr] : elf.functions_matching(glob)) {
      uint64_t offset = 0;
      if (!elf.offset_of_vaddr(vaddr, offset)) continue;
      matches.funcs.push_back(name);
      matches.offsets.push_back(offset);
    }
    if (!matches.funcs.empty()) out.push_back(std::move(matches));
  }
  return out;
}

}  // namespace btc::rt
