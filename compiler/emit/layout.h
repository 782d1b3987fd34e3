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
  uint32_t offset = 0;
  uint32_t size = 0;
  bool is_string = false;
  bool is_signed = false;
  bool is_bool = false;  // printed as true/false
  bool is_ksym = false;  // a kernel address the runtime prints as a symbol
  bool is_usym = false;  // a user address, then the pid (16 bytes)
  int stack = 0;         // 1 kstack, 2 ustack (stack id [, pid])
  uint32_t stack_info = 0;  // frame limit | mode << 16 (btc_field.pad)
  bool is_timestamp = false;  // strftime(): u64 ns since boot
  std::string strftime_fmt;   // its format (the host table stores it in btc_tool.strings)
  bool is_strerror = false;   // strerror(): s64 errno value
  bool is_username = false;   // username: u64 uid
  bool is_tuple = false;      // a tuple: a struct laid out by tuple_offsets()
  bool is_composite = false;  // a whole struct or array value (kept as bytes, is_string set too)
  Type tuple;                 // a tuple's, struct's or array's type (the host table describes its elements)
  const char *bytes_field = nullptr;  // buf()/ntop()/macaddr(): the BTC_T_* of a byte-array slot (is_string set too)
  bool is_cgroup_path = false;        // cgroup_path(): u64 cgroup id
  std::string cgroup_filter;          // its hierarchy filter (the host table stores it in btc_tool.strings)
  std::string enum_name;              // an enum value ("enum Foo"), printed as its enumerator's name
  uint32_t str_size = 0;  // a string: its type size (the host table's field size; a string that fills
                          // it without a NUL was cut and is printed with the truncation trailer)
  bool str_no_trailer = false;        // a string printed without the truncation trailer (Type::well_formed)
  bool is_pointer = false;            // an address printed in hex (BTC_T_PTR); set by the host emitter
  uint32_t bitfield = 0;              // a struct member that is a bitfield (Type::bitfield, btc_field.pad)
};

inline uint32_t round8(uint32_t n) { return (n + 7) & ~7u; }

// Each value gets one 8-byte-aligned slot.
inline std::vector<SlotLayout> layout_slots(const std::vector<Type> &types, uint32_t *total) {
  std::vector<SlotLayout> out;
  uint32_t off = 0;
  for (const auto &t : types) {
    SlotLayout s;
    s.offset = off;
    s.size = t.stored_as_bytes() || t.kind == TypeKind::Tuple           ? round8(t.size)
             : t.kind == TypeKind::Ustack || t.kind == TypeKind::Usym ? 16u
                                                                      : 8u;
    if (t.kind == TypeKind::Tuple) {
      s.is_tuple = true;
      s.tuple = t;
    }
    s.is_string = t.stored_as_bytes();
    if (t.is_string()) {
      s.str_size = t.size;
      s.str_no_trailer = t.well_formed;
    }
    if (t.is_composite()) {
      s.is_composite = true;
      s.tuple = t;
    }
    if (t.kind == TypeKind::Buffer) s.bytes_field = "BTC_T_BUF";
    if (t.kind == TypeKind::Inet) s.bytes_field = "BTC_T_INET";
    if (t.kind == TypeKind::MacAddr) s.bytes_field = "BTC_T_MACADDR";
    if (t.kind == TypeKind::CgroupPath) {
      s.is_cgroup_path = true;
      s.cgroup_filter = t.name;
    }
    s.is_signed = t.is_int() && t.is_signed;
    if (t.kind == TypeKind::Int && t.name.rfind("enum ", 0) == 0) s.enum_name = t.name;
    if (t.kind == TypeKind::Kstack || t.kind == TypeKind::Ustack) {
      s.stack = t.kind == TypeKind::Kstack ? 1 : 2;
      s.stack_info = t.count | static_cast<uint32_t>(t.hist_bits) << 16;
    }
    if (t.kind == TypeKind::Bool) {
      s.is_signed = false;
      s.is_bool = true;
    }
    s.is_ksym = t.kind == TypeKind::Ksym;
    s.is_usym = t.kind == TypeKind::Usym;
    s.is_strerror = t.kind == TypeKind::Strerror;
    s.is_username = t.kind == TypeKind::Username;
    if (t.kind == TypeKind::Timestamp) {
      s.is_timestamp = true;
      s.strftime_fmt = t.name;
    }
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
// Maps whose BPF key ends in a u64 bucket index after the user key: hist, lhist, tseries.
inline bool map_has_bucket(const MapInfo &m) { return map_is_hist(m) || m.value.kind == TypeKind::Tseries; }

}  // namespace btc
