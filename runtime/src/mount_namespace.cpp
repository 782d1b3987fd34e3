#include "mount_namespace.h"

#include <sys/stat.h>

#include <cstring>

#include "btc/abi.h"

namespace btc::rt {

// Whether two namespace files (/proc/X/ns/mnt) name the same namespace; true when either
// cannot be read (then the path is taken as it is).
static bool same_namespace(const std::string &a, const std::string &b) {
  struct stat sa, sb;
  if (stat(a.c_str(), &sa) != 0 || stat(b.c_str(), &sb) != 0) return true;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

std::string path_seen_by(int pid, const std::string &path) {
  if (pid <= 0) return path;
  std::string proc = "/proc/" + std::to_string(pid);
  if (same_namespace("/proc/self/ns/mnt", proc + "/ns/mnt")) return path;
  std::string root = proc + "/root";
  if (path.compare(0, root.size(), root) == 0) return path;
  return root + (path.empty() || path[0] != '/' ? "/" : "") + path;
}

}  // namespace btc::rt

extern "C" int btc_path_seen_by(int pid, const char *path, char *buf, size_t size) {
  std::string seen = btc::rt::path_seen_by(pid, path);
  if (seen == path || seen.size() >= size) return 0;
  memcpy(buf, seen.c_str(), seen.size() + 1);
  return 1;
}
