// Finding a uprobe glob's functions in the files a process maps (see uprobe_process_matches.h).
#include "uprobe_process_matches.h"

#include "process_files.h"
#include "user_symbols.h"

namespace btc::rt {

// Appends the functions of `path` matching glob to out, when it has any.
static void add_file_matches(const std::string &path, const std::string &glob, std::vector<ProcessFileMatches> &out) {
  ProcessFileMatches matches;
  matches.path = path;
  ElfFunctions elf;
  if (!elf.load(matches.path)) return;
  for (const auto &[name, vaddr] : elf.functions_matching(glob)) {
    uint64_t offset = 0;
    if (!elf.offset_of_vaddr(vaddr, offset)) continue;
    matches.funcs.push_back(name);
    matches.offsets.push_back(offset);
  }
  if (!matches.funcs.empty()) out.push_back(std::move(matches));
}

std::vector<ProcessFileMatches> find_process_matches(int pid, const std::string &glob) {
  std::vector<ProcessFileMatches> out;
  for (const std::string &file : process_files(pid))
    add_file_matches("/proc/" + std::to_string(pid) + "/root" + file, glob, out);
  return out;
}

std::vector<ProcessFileMatches> find_file_matches(const std::string &path, const std::string &glob) {
  std::vector<ProcessFileMatches> out;
  add_file_matches(path, glob, out);
  return out;
}

}  // namespace btc::rt
