// Temporaries too big for the 512-byte BPF stack (long strings, keys and tuples holding them):
// each gets its own slot of one per-CPU array map, btc_scratch. Slots are not shared between
// programs either: a program that interrupts another on the same CPU (a perf event during a
// tracepoint) must not overwrite the temporaries of the one it interrupted.
// A slot is used as `(*p)`, an lvalue of the same type a stack temporary would have, so the rest
// of the emitter handles both alike. Slot 0 is never written: it is the source big buffers are
// zeroed from. Small temporaries stay on the stack, as before.
#include <cctype>

#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

// The characters of a local's name and of its .field accesses.
static constexpr const char *kLocalChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.";

// A zeroed char[n]; returns the lvalue to use.
std::string BpfEmitter::char_temp(const std::string &prefix, uint32_t n) {
  std::string t = tmp(prefix);
  if (!big(n)) {
    line("char " + t + "[" + std::to_string(n) + "] = {};");
    return t;
  }
  scratch_slot("char (*" + t + ")[" + std::to_string(n) + "]", t, n);
  std::string lv = "(*" + t + ")";
  line(mem_zero(lv, n));
  return lv;
}

// A local of C type `ctype` (`size` bytes), zeroed when `zero`; returns the lvalue to use.
std::string BpfEmitter::struct_temp(const std::string &prefix, const std::string &ctype, uint32_t size, bool zero) {
  std::string t = tmp(prefix);
  if (!big(size)) {
    line(ctype + " " + t + ";");
    if (zero) line("__builtin_memset(&" + t + ", 0, sizeof(" + t + "));");
    return t;
  }
  scratch_slot(ctype + " *" + t, t, size);
  std::string lv = "(*" + t + ")";
  if (zero) line(mem_zero("&" + lv, size));
  return lv;
}

// Declares `decl`, the pointer `p`, as the next scratch slot. The lookup of an array index in
// range does not fail; the check is for the verifier.
void BpfEmitter::scratch_slot(const std::string &decl, const std::string &p, uint32_t size) {
  uint32_t slot = scratch_next_++;
  scratch_slots_ = std::max(scratch_slots_, scratch_next_);
  scratch_size_ = std::max(scratch_size_, round8(size));
  line(decl + " = bpf_map_lookup_elem(&btc_scratch, &(__u32){" + std::to_string(slot) + "});");
  line("if (!" + p + ") return 0;");
}

// The statement that zeroes n bytes at dst (a pointer expression): big buffers are copied from
// the zero slot.
std::string BpfEmitter::mem_zero(const std::string &dst, uint32_t n) {
  if (!big(n)) return "__builtin_memset(" + dst + ", 0, " + std::to_string(n) + ");";
  scratch_slots_ = std::max(scratch_slots_, 1u);
  scratch_size_ = std::max(scratch_size_, round8(n));
  return "bpf_probe_read_kernel(" + dst + ", " + std::to_string(n) +
         ", bpf_map_lookup_elem(&btc_scratch, &(__u32){0}));";
}

// Whether n bytes from src are copied inline (__builtin_memcpy) rather than by a helper. A local
// (named by an identifier, maybe with .fields) is on the stack, where clang aligns it for 8-byte
// loads, and a string literal is constant data clang stores directly: both copy inline up to the
// stack-temporary size. Anything else (p->field, (*slot), a table's row) is memory clang only knows
// to be src_align-aligned, so it copies inline only while that takes few loads.
bool BpfEmitter::inline_copy(const std::string &src, uint32_t n, uint32_t src_align) {
  if (big(n) || src.empty()) return false;
  bool literal = src[0] == '"';
  bool local = (std::isalpha(static_cast<unsigned char>(src[0])) || src[0] == '_') &&
               src.find_first_not_of(kLocalChars) == std::string::npos;
  if (literal || local) return true;
  return (n + src_align - 1) / src_align <= kInlineCopyLoads;
}

// The statement that copies n bytes from src to dst (pointer expressions; src a char array or a
// pointer to chars).
std::string BpfEmitter::mem_copy(const std::string &dst, const std::string &src, uint32_t n) {
  if (inline_copy(src, n, 1)) return "__builtin_memcpy(" + dst + ", " + src + ", " + std::to_string(n) + ");";
  return "bpf_probe_read_kernel(" + dst + ", " + std::to_string(n) + ", " + src + ");";
}

// The statement dst = src for two lvalues of the same type, `size` bytes, src aligned to src_align.
std::string BpfEmitter::copy_lvalue(const std::string &dst, const std::string &src, uint32_t size, uint32_t src_align) {
  if (inline_copy(src, size, src_align)) return "__builtin_memcpy(&" + dst + ", &" + src + ", sizeof(" + src + "));";
  return "bpf_probe_read_kernel(&" + dst + ", sizeof(" + src + "), &" + src + ");";
}

// The scratch map, one line (it replaces kScratchMarker, keeping the C file's line numbers).
std::string BpfEmitter::scratch_map_declaration() const {
  if (scratch_slots_ == 0) return "\n";
  return "struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, " + std::to_string(scratch_slots_) +
         "); __type(key, __u32); __type(value, __u8[" + std::to_string(scratch_size_) +
         "]); } btc_scratch SEC(\".maps\");\n";
}

}  // namespace btc::bpf_emitter_internal
