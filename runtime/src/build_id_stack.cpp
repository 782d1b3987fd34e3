// ustack(build_id) frames as bpftrace prints them: a newline, then per frame either the build
// id in hex and the file offset ("BUILDID 0xOFFSET"), or, when the kernel could not read the
// file's build id, the address in hex. Linked only into tools that take build_id stacks
// (btc_tool.build_id_stacks).
#include <bpf/bpf.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "stack_format.h"

namespace btc::rt {
namespace {

// The kernel's struct bpf_stack_build_id.
struct BuildIdFrame {
  int32_t status;  // 0 empty, 1 build id and offset, 2 address only
  unsigned char build_id[20];
  uint64_t offset_or_ip;
};
static_assert(sizeof(BuildIdFrame) == 32, "struct bpf_stack_build_id is 32 bytes");

enum { kEmpty = 0, kValid = 1 };

std::string build_id_stack_text(int map_fd, uint32_t id, uint32_t limit) {
  std::string text = "\n";
  std::vector<BuildIdFrame> frames(BTC_MAX_STACK_FRAMES);
  if (map_fd < 0 || bpf_map_lookup_elem(map_fd, &id, frames.data()) != 0) return text;
  char line[80];
  for (size_t i = 0; i < frames.size() && (limit == 0 || i < limit); i++) {
    const BuildIdFrame &f = frames[i];
    if (f.status == kEmpty) break;
    if (f.status == kValid) {
      for (int b = 0; b < 20; b++) snprintf(line + 2 * b, 3, "%02x", f.build_id[b]);
      snprintf(line + 40, sizeof(line) - 40, " 0x%02" PRIx64 "\n", f.offset_or_ip);
    } else {
      snprintf(line, sizeof(line), "%" PRIx64 "\n", f.offset_or_ip);
    }
    text += line;
  }
  return text;
}

}  // namespace
}  // namespace btc::rt

extern "C" const btc_build_id_stacks btc_build_id_stack_functions = {btc::rt::build_id_stack_text};
