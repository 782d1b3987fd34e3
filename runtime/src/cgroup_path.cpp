#include "cgroup_path.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

namespace btc::rt {

namespace fs = std::filesystem;

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

// The cgroup's path below `root` ("/" for the root itself), "" when it is not there. The inode
// number of a cgroup directory is its id.
static std::string path_in_hierarchy(uint64_t cgroup_id, const std::string &root) {
  static std::map<std::pair<uint64_t, std::string>, std::string> cache;
  struct stat st;
  auto cached = cache.find({cgroup_id, root});
  if (cached != cache.end() && stat((root + cached->second).c_str(), &st) == 0 && st.st_ino == cgroup_id)
    return cached->second;
  if (stat(root.c_str(), &st) == 0 && st.st_ino == cgroup_id) return cache[{cgroup_id, root}] = "/";
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (stat(it->path().c_str(), &st) != 0) return "";
    if (st.st_ino == cgroup_id) return cache[{cgroup_id, root}] = it->path().string().substr(root.size());
  }
  return "";
}

// (name, mount point) of every mounted hierarchy: v2 ones are "unified", v1 ones are named after
// their mount directory.
static void mounted_hierarchies(std::vector<std::pair<std::string, std::string>> &v2,
                                std::vector<std::pair<std::string, std::string>> &v1) {
  std::ifstream mounts("/proc/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string type, dir;
    if (!(fields >> type >> dir) || (type != "cgroup" && type != "cgroup2")) continue;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    if (type == "cgroup2")
      v2.emplace_back("unified", dir);
    else
      v1.emplace_back(fs::path(dir).filename().string(), dir);
  }
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
