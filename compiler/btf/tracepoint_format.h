// Parsing of tracefs event format files (events/<category>/<event>/format) and typing of their
// fields the way bpftrace 0.26 does it.
#pragma once
#include <string>
#include <vector>

#include "btf/kernel_btf.h"
#include "btf/tracepoints.h"

namespace btc {

// One "field:" line of a format file, e.g.
//   field:const char * filename;	offset:24;	size:8;	signed:0;
struct FormatField {
  std::string decl;          // "const char * filename"
  std::string type;          // "const char *" ("char" for "char prev_comm[16]")
  std::string name;          // "filename"
  bool is_array = false;     // declared with [N]
  uint32_t array_count = 0;  // N (0 for "[]")
  uint32_t offset = 0, size = 0;
  bool is_signed = false;
  bool is_data_loc = false;  // "__data_loc char[] name"
};

// Parses the text of a format file into its fields, leaving out the common_* ones.
// Returns false with *err set when a field line is malformed.
bool parse_format_text(const std::string &text, std::vector<FormatField> *fields, std::string *err);

// The btc Type of a format field, as bpftrace types it: the C spelling is resolved with BTF, then
// integers take the size and signedness the format file states (syscall arguments are all size 8,
// signed 0); `char x[N]` becomes String(N) and other arrays Array; __data_loc fields are the raw u32
// locator (length << 16 | offset). Pointers (at every level) get `pointers` as their address space.
Type format_field_type(const KernelBtf &btf, const FormatField &f, AddrSpace pointers);

// Sets the address space of a pointer and of the pointers it points to.
void set_pointer_addr_space(Type *t, AddrSpace as);

// FormatField -> TracepointField with format_field_type.
TracepointField to_tracepoint_field(const KernelBtf &btf, const FormatField &f, AddrSpace pointers);

}  // namespace btc
