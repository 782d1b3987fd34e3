#include "stack_format.h"

#include <bpf/bpf.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "ksyms.h"
#include "user_symbols.h"

namespace btc::rt {

static int g_stack_map_fd = -1;

void set_stack_map(int fd) { g_stack_map_fd = fd; }

static int g_dw_stack_map_fd = -1;

void set_dw_stack_map(int fd) { g_dw_stack_map_fd = fd; }

static int g_build_id_map_fd = -1;
static const btc_build_id_stacks *g_build_id_stacks = nullptr;

void set_build_id_stacks(int fd, const btc_build_id_stacks *stacks) {
  g_build_id_map_fd = fd;
  g_build_id_stacks = stacks;
}

static btc_s64 g_limit_params[BTC_MAX_PARAMS];

void set_stack_limit_params(const btc_s64 *param_int) {
  std::copy(param_int, param_int + BTC_MAX_PARAMS, g_limit_params);
}

// A field's frame limit: its own, or the value of the parameter it names.
static uint32_t frame_limit(const btc_field &f) {
  uint32_t limit = f.pad & 0xffff;
  if (!(limit & BTC_STACK_LIMIT_PARAM)) return limit;
  uint32_t n = limit & ~BTC_STACK_LIMIT_PARAM;
  return n >= 1 && n <= BTC_MAX_PARAMS ? static_cast<uint32_t>(g_limit_params[n - 1]) : 0;
}

std::string format_stack(const std::vector<uint64_t> &frames, uint32_t mode, uint32_t limit,
                         const std::function<std::string(uint64_t)> &symbolize) {
  std::string text = "\n";
  char hex[32];
  for (size_t i = 0; i < frames.size() && (limit == 0 || i < limit); i++) {
    uint64_t address = frames[i];
    snprintf(hex, sizeof(hex), "%" PRIx64, address);
    if (mode == BTC_STACK_RAW) {
      text += std::string(hex) + "\n";
      continue;
    }
    // One address may be several frames (functions inlined there), one per line.
    std::string frames = symbolize(address);
    for (size_t pos = 0; pos <= frames.size();) {
      size_t nl = std::min(frames.find('\n', pos), frames.size());
      std::string frame = frames.substr(pos, nl - pos);
      text += mode == BTC_STACK_PERF ? "\t" + std::string(hex) + " " + frame + "\n" : "        " + frame + "\n";
      pos = nl + 1;
    }
  }
  return text;
}

// The frames of stack `id` (up to the first zero address).
static std::vector<uint64_t> read_frames(int64_t id) {
  std::vector<uint64_t> frames;
  uint32_t key = static_cast<uint32_t>(id);
  int fd = key & BTC_DW_STACK_ID_FLAG ? g_dw_stack_map_fd : g_stack_map_fd;  // dw_ustack's own map
  if (id < 0 || fd < 0) return frames;
  std::vector<uint64_t> slots(BTC_MAX_STACK_FRAMES, 0);
  if (bpf_map_lookup_elem(fd, &key, slots.data()) != 0) return frames;
  for (uint64_t address : slots) {
    if (address == 0) break;
    frames.push_back(address);
  }
  return frames;
}

std::string decode_stack_field(const btc_field &f, const uint8_t *base) {
  int64_t id;
  memcpy(&id, base + f.offset, sizeof(id));
  uint32_t limit = frame_limit(f), mode = f.pad >> 16;
  if (mode == BTC_STACK_BUILD_ID)
    return g_build_id_stacks && id >= 0 ? g_build_id_stacks->text(g_build_id_map_fd, static_cast<uint32_t>(id), limit)
                                        : "\n";
  std::vector<uint64_t> frames = read_frames(id);
  if (f.type == BTC_T_KSTACK) return format_stack(frames, mode, limit, resolve_kernel_symbol_with_offset);

  uint64_t pid = 0;
  if (f.size >= 16) memcpy(&pid, base + f.offset + 8, sizeof(pid));
  static UserSymbols symbols;
  bool with_module = mode == BTC_STACK_PERF;
  return format_stack(frames, mode, limit, [pid, with_module](uint64_t address) {
    return symbols.resolve(pid, address, with_module, true, true);
  });
}

}  // namespace btc::rt
