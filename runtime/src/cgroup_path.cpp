#include "cgroup_path.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

namespace btc::rt {

bool wildcard_match(const std::string &pattern, const std::string &text) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      p++;
      t++;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') p++;
  return p == pattern.size();
}

// The directory below `dir` (depth first, not `dir` itself) whose inode is `ino`, "" if none.
// opendir rather than std::filesystem, which would add its locale machinery to every tool.
static std::string find_directory_by_inode(const std::string &dir, uint64_t ino) {
  DIR *d = opendir(dir.c_str());
  if (!d) return "";
  std::vector<std::string> subdirs;
  while (dirent *entry = readdir(d)) {
    if (entry->d_type != DT_DIR || !strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..")) continue;
    std::string path = dir + "/" + entry->d_name;
    if (entry->d_ino == ino) {
      closedir(d);
      return path;
    }
    subdirs.push_back(std::move(path));
  }
  closedir(d);
  for (const std::string &sub : subdirs) {
    std::string found = find_directory_by_inode(sub, ino);
    if (!found.empty()) return found;
  }
  return "";
}

// The cgroup's path below `root` ("/" for the root itself), "" when it is not there. The inode
// number of a cgroup directory is its id.
static std::string path_in_hierarchy(uint64_t cgroup_id, const std::string &root) {
  static std::map<std::pair<uint64_t, std::string>, std::string> cache;
  struct stat st;
  auto cached = cache.find({cgroup_id, root});
  if (cached != cache.end() && stat((root + cached->second).c_str(), &st) == 0 && st.st_ino == cgroup_id)
    return cached->second;
  if (stat(root.c_str(), &st) == 0 && st.st_ino == cgroup_id) return cache[{cgroup_id, root}] = "/";
  std::string found = find_directory_by_inode(root, cgroup_id);
  return found.empty() ? "" : cache[{cgroup_id, root}] = found.substr(root.size());
}

// (name, mount point) of every mounted hierarchy: v2 ones are "unified", v1 ones are named after
// their mount directory.
static void mounted_hierarchies(std::vector<std::pair<std::string, std::string>> &v2,
                                std::vector<std::pair<std::string, std::string>> &v1) {
  // stdio rather than iostreams: iostreams add ~0.5 MB to every static tool.
  FILE *mounts = fopen("/proc/mounts", "re");
  if (!mounts) return;
  char device[4096], mount_dir[4096], fs_type[256];
  while (fscanf(mounts, "%4095s %4095s %255s%*[^\n]", device, mount_dir, fs_type) == 3) {
    std::string type = fs_type, dir = mount_dir;
    if (type != "cgroup" && type != "cgroup2") continue;
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (type == "cgroup2")
      v2.emplace_back("unified", dir);
    else
      v1.emplace_back(dir.substr(dir.rfind('/') + 1), dir);
  }
  fclose(mounts);
}

std::string resolve_cgroup_path(uint64_t cgroup_id, const std::string &filter) {
  std::vector<std::pair<std::string, std::string>> v2, v1;
  mounted_hierarchies(v2, v1);
  std::vector<std::pair<std::string, std::string>> paths;
  for (const auto &[name, root] : v2)
    if (wildcard_match(filter, name)) paths.emplace_back(name, path_in_hierarchy(cgroup_id, root));
  std::vector<std::pair<std::string, std::string>> paths_v1;
  for (const auto &[name, root] : v1)
    if (wildcard_match(filter, name)) paths_v1.emplace_back(name, path_in_hierarchy(cgroup_id, root));
  std::sort(paths_v1.begin(), paths_v1.end());
  paths.insert(paths.end(), paths_v1.begin(), paths_v1.end());
  std::string out;
  for (const auto &[name, path] : paths) {
    if (path.empty()) continue;
    if (!out.empty()) out += ",";
    out += name + ":" + path;
  }
  return out;
}

}  // namespace btc::rt

extern "C" const btc_cgroup_path_lookup btc_cgroup_path_functions = {btc::rt::resolve_cgroup_path};
