// Types of bpftrace values as the checker sees them. Plain value type, copied freely.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace btc {

enum class TypeKind {
  None,     // not yet checked / error
  Void,     // statements-only calls (printf, exit, delete, ...)
  Int,      // size 1/2/4/8, is_signed
  Bool,
  String,   // fixed-size NUL-padded char array, `size` bytes
  Pointer,  // pointee in `inner[0]`; `addr_space` says whose memory
  Record,   // struct/union from BTF or the script; name = "struct task_struct"
  Array,    // inner[0] element type, `count` elements
  Tuple,    // inner = element types
  Buffer,   // buf(): raw bytes
  Ksym, Usym,  // addresses printed as symbols
  Kstack, Ustack,  // stack ids (count = frame limit, hist_bits = stack mode)
  Timestamp,       // strftime(): u64 ns since boot, formatted by the runtime with the format in `name`
  Strerror,        // strerror(): an errno value the runtime prints as its message
  Username,        // username: a uid the runtime prints as the user's name
  Inet,            // ntop(): u64 address family, then 16 address bytes (size 24)
  MacAddr,         // macaddr(): 6 bytes
  CgroupPath,      // cgroup_path(): u64 cgroup id, resolved by the runtime; name = the hierarchy filter
  Context,  // `args` of a tracepoint (a Record whose fields are tracepoint fields)
  // Aggregation values: what a map holds after @m = count() etc.
  Count, Sum, Min, Max, Avg, Stats, Hist, Lhist, Tseries,
};

enum class AddrSpace { None, Kernel, User };

struct Type {
  TypeKind kind = TypeKind::None;
  uint32_t size = 0;       // bytes (Int, String, Record, Buffer, Array total)
  bool is_signed = false;  // Int
  std::string name;        // Record: "struct task_struct"; Context: tracepoint "category:event"
  std::vector<Type> inner; // Pointer/Array element, Tuple elements
  std::vector<std::string> fields;  // Tuple: the field names of a record (a named tuple), else empty
  uint32_t count = 0;      // Array element count
  // A Record stored as a value (in a variable, map, tuple or event): its members are listed in
  // inner/fields at these byte offsets, so the runtime can print it. Empty for records only read through.
  std::vector<uint32_t> offsets;
  AddrSpace addr_space = AddrSpace::None;
  // Int member of a stored Record that is a bitfield: width << 8 | shift, the value being
  // (unit >> shift) masked to width bits, unit = the member's `size` bytes at its offset. 0 otherwise.
  uint32_t bitfield = 0;
  // String from a char array of a script-defined struct: bpftrace types it string[N + 1], so a
  // full array is printed whole, never with the truncation trailer (kernel BTF and DWARF char
  // arrays are string[N] and do get it).
  bool well_formed = false;
  int btf_id = 0;          // Record from kernel BTF: type id in the build host's vmlinux BTF
  // Lhist/Hist parameters (for map values)
  int64_t lhist_min = 0, lhist_max = 0, lhist_step = 0;
  uint32_t lhist_params[3] = {};  // Lhist: N when min/max/step is positional parameter $N, else 0
  bool lhist_from_params() const { return lhist_params[0] || lhist_params[1] || lhist_params[2]; }
  int64_t hist_bits = 0;
  // Tseries parameters (for map values; is_signed: the recorded values are signed)
  int64_t tseries_interval = 0, tseries_count = 0;
  int tseries_agg = 0;  // enum btc_tseries_agg

  static Type none() { return {}; }
  static Type void_() { Type t; t.kind = TypeKind::Void; return t; }
  static Type integer(uint32_t size, bool is_signed) {
    Type t; t.kind = TypeKind::Int; t.size = size; t.is_signed = is_signed; return t;
  }
  static Type boolean() { Type t; t.kind = TypeKind::Bool; t.size = 1; return t; }
  static Type string(uint32_t size) { Type t; t.kind = TypeKind::String; t.size = size; return t; }
  static Type pointer_to(Type pointee, uint32_t pointer_size = 8) {
    Type p; p.kind = TypeKind::Pointer; p.size = pointer_size; p.inner.push_back(std::move(pointee)); return p;
  }
  static Type array_of(Type elem, uint32_t count) {
    Type a; a.kind = TypeKind::Array; a.count = count; a.size = elem.size * count;
    a.inner.push_back(std::move(elem)); return a;
  }
  static Type aggregate(TypeKind k) { Type t; t.kind = k; t.size = 8; t.is_signed = true; return t; }

  bool is_int() const { return kind == TypeKind::Int || kind == TypeKind::Bool; }
  bool is_string() const { return kind == TypeKind::String; }
  // Values kept as a byte array (in variables, map keys/values and events): strings, buf() buffers
  // (u64 length, then the bytes), ntop() addresses, macaddr() addresses, whole structs and arrays.
  bool stored_as_bytes() const {
    return kind == TypeKind::String || kind == TypeKind::Buffer || kind == TypeKind::Inet ||
           kind == TypeKind::MacAddr || is_composite();
  }
  bool is_composite() const { return kind == TypeKind::Record || kind == TypeKind::Array; }
  bool is_aggregate() const { return kind >= TypeKind::Count; }
  bool is_none() const { return kind == TypeKind::None; }
};

// Human-readable spelling used in diagnostics: "int64", "uint32", "string[64]", "struct task_struct *", "count_t".
std::string to_string(const Type &t);

}  // namespace btc
