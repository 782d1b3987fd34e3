// kstack and ustack values (BTC_T_KSTACK/BTC_T_USTACK fields): a stack id
// into the BTC_STACKS_MAP_NAME map, read and symbolized into bpftrace's
// text: a newline, then one frame per line,
//
//   bpftrace mode   8 spaces, "function+offset" (user frames of binaries with DWARF line
//                   tables add "@FILE:LINE", see dwarf_lines.h)
//   perf mode       a tab, the address in hex, a space, "function+offset"
//                   (user frames add " (/path/of/the/binary)")
//
// and, with DWARF, a frame before each of those for every function inlined at the address.
//   raw mode        the address in hex
//   build_id mode   (ustack) the file's build id and the offset in it, see build_id_stack.cpp
//
// at most `limit` frames (btc_field.pad & 0xffff; 0 = all). A stack that
// could not be taken (negative id) is just the newline.
#ifndef BTC_RT_STACK_FORMAT_H
#define BTC_RT_STACK_FORMAT_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "btc/abi.h"

namespace btc::rt {

// The stack map of the loaded object (-1: none).
void set_stack_map(int fd);
// dw_ustack's stack map (ids with BTC_DW_STACK_ID_FLAG; -1: none).
void set_dw_stack_map(int fd);

// The build-id stack map of the loaded object and the tool's formatting of its stacks
// (btc_tool.build_id_stacks); ustack(build_id) fields print nothing but the newline without them.
void set_build_id_stacks(int fd, const btc_build_id_stacks *stacks);

// The tool's positional parameters (BTC_MAX_PARAMS integers), for limits that name one
// (BTC_STACK_LIMIT_PARAM); checked to be in 1..BTC_MAX_STACK_FRAMES beforehand.
void set_stack_limit_params(const btc_s64 *param_int);

// The frames' text; `symbolize` names one address (several frames: one per line).
std::string format_stack(const std::vector<uint64_t> &frames, uint32_t mode, uint32_t limit,
                         const std::function<std::string(uint64_t)> &symbolize);

// The text of a KSTACK/USTACK field inside the record at `base`.
std::string decode_stack_field(const btc_field &f, const uint8_t *base);

}  // namespace btc::rt

// The text of stack `id` of build-id stack map `map_fd`, at most `limit` frames (0: all), in
// build_id_stack.cpp, which only tools that take build_id stacks link.
struct btc_build_id_stacks {
  std::string (*text)(int map_fd, uint32_t id, uint32_t limit);
};

#endif
