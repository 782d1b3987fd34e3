#include "embedded_object.h"

#include <zlib.h>

#include <cerrno>
#include <cstdlib>

namespace btc::rt {

const unsigned char *embedded_object(const btc_tool &tool, size_t &size) {
  if (tool.obj_raw_size == 0) {  // stored as is
    size = tool.obj_size;
    return tool.obj;
  }
  // Loading may be tried more than once (fentry/kprobe twins): unpack once.
  static unsigned char *unpacked = nullptr;
  if (!unpacked) {
    auto *buf = static_cast<unsigned char *>(malloc(tool.obj_raw_size));
    if (!buf) {
      errno = ENOMEM;
      return nullptr;
    }
    uLongf out_size = tool.obj_raw_size;
    if (uncompress(buf, &out_size, tool.obj, tool.obj_size) != Z_OK || out_size != tool.obj_raw_size) {
      free(buf);
      errno = EINVAL;
      return nullptr;
    }
    unpacked = buf;
  }
  size = tool.obj_raw_size;
  return unpacked;
}

}  // namespace btc::rt
