#include "cgroup_id.h"

#include <fcntl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "btc/abi.h"

namespace btc::rt {

std::optional<uint64_t> cgroup_id_of(const std::string &path, std::string &error) {
  // cgroupfs file handles are 8 bytes: the cgroup id (the kernfs node id).
  struct {
    struct file_handle head;
    uint64_t id;
  } handle{};
  handle.head.handle_bytes = sizeof(handle.id);
  int mount_id = 0;
  if (name_to_handle_at(AT_FDCWD, path.c_str(), &handle.head, &mount_id, 0) != 0) {
    error = "Failed to get `cgroupid` for path: \"" + path + "\": " + strerror(errno);
    return std::nullopt;
  }
  return handle.id;
}

}  // namespace btc::rt

// btc_tool.cgroup_id_of (only tools that call cgroupid() link this file).
extern "C" int btc_cgroup_id_of(const char *path, btc_u64 *id, char *error, size_t size) {
  std::string why;
  std::optional<uint64_t> found = btc::rt::cgroup_id_of(path, why);
  if (!found) {
    snprintf(error, size, "%s", why.c_str());
    return -1;
  }
  *id = *found;
  return 0;
}
