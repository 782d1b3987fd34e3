// Finding usdt globs' probes in the files a process maps (see usdt_process_matches.h).
#include "usdt_process_matches.h"

#include <fnmatch.h>

#include <algorithm>
#include <tuple>

#include "process_files.h"
#include "usdt_notes.h"

namespace btc::rt {

// Adds the probes of `path` matching the globs to out, counting their locations.
static void add_file_matches(const std::string &path, const std::string &provider_glob, const std::string &name_glob,
                             std::vector<UsdtMatch> &out) {
  auto notes = read_usdt_notes(path);
  if (!notes) return;
  for (const UsdtNote &note : *notes) {
    if (fnmatch(provider_glob.c_str(), note.provider.c_str(), 0) != 0 ||
        fnmatch(name_glob.c_str(), note.name.c_str(), 0) != 0)
      continue;
    auto same = [&](const UsdtMatch &m) {
      return m.path == path && m.provider == note.provider && m.name == note.name;
    };
    auto it = std::find_if(out.begin(), out.end(), same);
    if (it == out.end()) it = out.insert(out.end(), {path, note.provider, note.name, 0});
    it->locations++;
  }
}

// bpftrace's order: by path, provider, name.
static void sort_matches(std::vector<UsdtMatch> &matches) {
  auto key = [](const UsdtMatch &m) { return std::tie(m.path, m.provider, m.name); };
  std::sort(matches.begin(), matches.end(), [&](const UsdtMatch &a, const UsdtMatch &b) { return key(a) < key(b); });
}

std::vector<UsdtMatch> find_usdt_matches(int pid, const std::string &provider_glob, const std::string &name_glob) {
  std::vector<UsdtMatch> out;
  for (const std::string &file : process_files(pid))
    add_file_matches("/proc/" + std::to_string(pid) + "/root" + file, provider_glob, name_glob, out);
  sort_matches(out);
  return out;
}

std::vector<UsdtMatch> find_usdt_file_matches(const std::string &path, const std::string &provider_glob,
                                              const std::string &name_glob) {
  std::vector<UsdtMatch> out;
  add_file_matches(path, provider_glob, name_glob, out);
  sort_matches(out);
  return out;
}

}  // namespace btc::rt
