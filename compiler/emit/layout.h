// Byte layouts shared by the BPF emitter and the host-table emitter, so both sides of the ring
// buffer and of every map agree: integers are 8 bytes, strings are rounded up to 8 bytes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "check/program_info.h"
#include "types/types.h"

namespace btc {

struct SlotLayout {
  uint32_t offset;
  uint32_t size;
  bool is_string;
  bool is_signed;
  bool is_ksym = false;  // a kernel address the runtime prints as a symbol
  int stack = 0;         // 1 kstack, 2 ustack (stack id [, pid])
  uint32_t stack_info = 0;  // frame limit | mode << 16 (btc_field.pad)
};

inline uint32_t round8(uint32_t n) { return (n + 7) & ~7u; }

// Each value gets one 8-byte-aligned slot.
inline std::vector<SlotLayout> layout_slots(const std::vector<Type> &types, uint32_t *total) {
  std::vector<SlotLayout> out;
  uint32_t off = 0;
  for (const auto &t : types) {
    SlotLayout s{off, t.is_string() ? round8(t.size) : t.kind == TypeKind::Ustack ? 16u : 8u, t.is_string(),
                 t.is_int() && t.is_signed};
    if (t.kind == TypeKind::Kstack || t.kind == TypeKind::Ustack) {
      s.stack = t.kind == TypeKind::Kstack ? 1 : 2;
      s.stack_info = t.count | static_cast<uint32_t>(t.hist_bits) << 16;
    }
    if (t.kind == TypeKind::Bool) s.is_signed = false;
    s.is_ksym = t.kind == TypeKind::Ksym;
    out.push_back(s);
    off += s.size;
  }
  *total = off;
  return out;
}

// Per-CPU (or plain) value C type of a map.
inline bool map_is_percpu(const MapInfo &m) { return m.value.is_aggregate(); }
inline bool map_is_hist(const MapInfo &m) {
  return m.value.kind == TypeKind::Hist || m.value.kind == TypeKind::Lhist;
}

}  // namespace btc
