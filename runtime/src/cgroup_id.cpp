#include "cgroup_id.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>

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
