#include "emit/host_emitter.h"

#include <sstream>

#include "btc/abi.h"
#include "emit/c_text.h"
#include "emit/layout.h"
#include "emit/template_fill.h"
#include "emit/tuple_structs.h"
#include "types/tuple_layout.h"

namespace btc {
namespace {

const char *probe_kind_name(ProbeKind k) {
  switch (k) {
    case ProbeKind::Begin: return "BTC_PROBE_BEGIN";
    case ProbeKind::End: return "BTC_PROBE_END";
    case ProbeKind::Tracepoint: return "BTC_PROBE_TRACEPOINT";
    case ProbeKind::Uprobe: return "BTC_PROBE_UPROBE";
    case ProbeKind::Uretprobe: return "BTC_PROBE_URETPROBE";
    case ProbeKind::Interval: return "BTC_PROBE_INTERVAL";
    case ProbeKind::Profile: return "BTC_PROBE_PROFILE";
    case ProbeKind::Kprobe: return "BTC_PROBE_KPROBE";
    case ProbeKind::Kretprobe: return "BTC_PROBE_KRETPROBE";
    case ProbeKind::Rawtp: return "BTC_PROBE_RAWTP";
    case ProbeKind::Software: return "BTC_PROBE_SOFTWARE";
    case ProbeKind::Fentry: return "BTC_PROBE_FENTRY";
    case ProbeKind::Fexit: return "BTC_PROBE_FEXIT";
    case ProbeKind::Hardware: return "BTC_PROBE_HARDWARE";
    case ProbeKind::Usdt: return "BTC_PROBE_USDT";
    case ProbeKind::Signal: return "BTC_PROBE_SIGNAL";
    case ProbeKind::Test: return "BTC_PROBE_TEST";
    case ProbeKind::Bench: return "BTC_PROBE_BENCH";
    case ProbeKind::Iter: return "BTC_PROBE_ITER";
    case ProbeKind::Watchpoint:
      return "BTC_PROBE_WATCHPOINT";
  }
  return "0";
}

const char *map_kind_name(TypeKind k) {
  switch (k) {
    case TypeKind::Count: return "BTC_MAP_COUNT";
    case TypeKind::Sum: return "BTC_MAP_SUM";
    case TypeKind::Min: return "BTC_MAP_MIN";
    case TypeKind::Max: return "BTC_MAP_MAX";
    case TypeKind::Avg: return "BTC_MAP_AVG";
    case TypeKind::Stats: return "BTC_MAP_STATS";
    case TypeKind::Hist: return "BTC_MAP_HIST";
    case TypeKind::Lhist: return "BTC_MAP_LHIST";
    case TypeKind::Tseries: return "BTC_MAP_TSERIES";
    default: return "BTC_MAP_PLAIN";
  }
}

// Constant strings that fields refer to by index (btc_tool.strings), each stored once.
struct StringTable {
  std::vector<std::string> items;
  const ProgramInfo *info = nullptr;  // its enums (intern_enum)

  uint32_t intern(const std::string &s) {
    for (size_t i = 0; i < items.size(); i++)
      if (items[i] == s) return static_cast<uint32_t>(i);
    items.push_back(s);
    return static_cast<uint32_t>(items.size() - 1);
  }

  // The enumerators of enum `name` as BTC_T_ENUM describes them: "VALUE NAME" lines.
  uint32_t intern_enum(const std::string &name) {
    std::string text;
    auto it = info->enums.find(name);
    if (it != info->enums.end())
      for (const auto &[n, v] : it->second) text += std::to_string(v) + " " + n + "\n";
    return intern(text);
  }
};

// Whether values of type t show user-space symbols (usym, ustack), also inside tuples.
bool shows_user_symbols(const Type &t) {
  if (t.kind == TypeKind::Usym || t.kind == TypeKind::Ustack) return true;
  for (const Type &inner : t.inner)
    if (shows_user_symbols(inner)) return true;
  return false;
}

// The tool links the C++ demangler only when its script prints user symbols and the config
// keeps cpp_demangle on (bpftrace's default).
bool has_tseries_map(const ProgramInfo &info) {
  for (const auto &m : info.maps)
    if (m.value.kind == TypeKind::Tseries) return true;
  return false;
}

// Whether a bool config key is on: unset keys keep bpftrace's default, true.
bool config_on(const ProgramInfo &info, const std::string &key) {
  auto it = info.config.settings.find(key);
  return it == info.config.settings.end() || it->second == "true";
}

// Whether any value the tool prints (map keys and values, printf arguments) satisfies `shows`.
bool prints_any(const ProgramInfo &info, bool (*shows)(const Type &)) {
  for (const auto &m : info.maps) {
    if (shows(m.value)) return true;
    for (const Type &k : m.keys)
      if (shows(k)) return true;
  }
  for (const auto &pf : info.printfs)
    for (const Type &a : pf.args)
      if (shows(a)) return true;
  return false;
}

// Whether values of type t are cgroup paths (cgroup_path()), also inside tuples: the tool then
// links the runtime's cgroup hierarchy walk (runtime/src/cgroup_path.cpp).
bool shows_cgroup_paths(const Type &t) {
  if (t.kind == TypeKind::CgroupPath) return true;
  for (const Type &inner : t.inner)
    if (shows_cgroup_paths(inner)) return true;
  return false;
}

bool demangles_user_symbols(const ProgramInfo &info) {
  return config_on(info, "cpp_demangle") && prints_any(info, shows_user_symbols);
}

// Whether values of type t are user stacks (ustack), also inside tuples.
bool shows_user_stacks(const Type &t) {
  if (t.kind == TypeKind::Ustack) return true;
  for (const Type &inner : t.inner)
    if (shows_user_stacks(inner)) return true;
  return false;
}

// The tool links the DWARF line-table reader (runtime/src/dwarf_lines.cpp) only when its script
// prints user stacks and the config keeps show_debug_info on (bpftrace's default with blazesym).
bool locates_user_source(const ProgramInfo &info) {
  return config_on(info, "show_debug_info") && prints_any(info, shows_user_stacks);
}

// Whether the script has uprobes or usdt probes, whose binaries -p resolves in the target's
// mount namespace.
bool has_user_probes(const ProgramInfo &info) {
  for (const auto &p : info.probes)
    if (p.kind == ProbeKind::Uprobe || p.kind == ProbeKind::Uretprobe || p.kind == ProbeKind::Usdt) return true;
  return false;
}

// Whether the script has test: or bench: probes (run by --test / --bench).
bool has_test_or_bench(const ProgramInfo &info) {
  for (const auto &p : info.probes)
    if (p.kind == ProbeKind::Test || p.kind == ProbeKind::Bench) return true;
  return false;
}

// Whether the script has usdt:*:provider:name globs, matched when the tool starts in the -p
// process's files (runtime/src/usdt_process.cpp).
bool has_usdt_globs(const ProgramInfo &info) {
  for (const auto &p : info.probes)
    if (p.kind == ProbeKind::Usdt && p.runtime_matches) return true;
  return false;
}

// config cache_user_symbols as enum btc_user_symbol_cache_mode; unset: bpftrace's default,
// decided when the tool runs.
std::string user_symbol_mode(const ProgramInfo &info) {
  auto it = info.config.settings.find("cache_user_symbols");
  if (it == info.config.settings.end()) return "BTC_USYMS_DEFAULT";
  return it->second == "per_program" ? "BTC_USYMS_PER_PROGRAM"
         : it->second == "none"      ? "BTC_USYMS_NONE"
                                     : "BTC_USYMS_PER_PID";
}

// A tuple's identity in the host tables: its layout plus the enums of its elements (an enum
// element prints differently from a plain integer laid out the same way).
std::string host_tuple_signature(const Type &t) {
  std::string sig = type_signature(t);
  for (const auto &el : t.inner) {
    if (el.kind == TypeKind::Tuple) sig += "|" + host_tuple_signature(el);
    if (el.kind == TypeKind::Int && !el.name.empty()) sig += "|" + el.name;
  }
  return sig;
}

struct TupleTable;

std::string field_row(const SlotLayout &s, StringTable &strings, TupleTable &tuples);

// Element lists of tuple fields (btc_tool.tuples), each tuple type stored once.
struct TupleTable {
  std::vector<std::string> signatures;
  std::vector<std::string> rows;  // "{n, tuple_fields_i}"
  std::ostringstream arrays;      // the element arrays

  // A tuple's elements, a record's members (with their names) or an array's one element type.
  uint32_t intern(const Type &t, StringTable &strings) {
    std::string sig = host_tuple_signature(t);
    for (size_t i = 0; i < signatures.size(); i++)
      if (signatures[i] == sig) return static_cast<uint32_t>(i);
    uint32_t size = 0;
    std::vector<uint32_t> offsets = t.kind == TypeKind::Record  ? t.offsets
                                    : t.kind == TypeKind::Array ? std::vector<uint32_t>{0}
                                                                : tuple_offsets(t, &size);
    std::string elems, names;
    for (size_t i = 0; i < offsets.size(); i++) {
      uint32_t unused = 0;
      SlotLayout el = layout_slots({t.inner[i]}, &unused)[0];
      el.offset = offsets[i];
      el.size = t.inner[i].kind == TypeKind::Pointer ? 8 : tuple_elem_size(t.inner[i]);
      if (t.kind == TypeKind::Record) el.bitfield = t.inner[i].bitfield;
      std::string row = t.inner[i].kind == TypeKind::Bool  // printed true/false
                            ? "{BTC_T_BOOL, " + std::to_string(el.offset) + ", 1, 0}"
                            : field_row(el, strings, *this);  // inner tuples are interned first
      if (t.inner[i].kind == TypeKind::Pointer) row = "{BTC_T_PTR, " + std::to_string(el.offset) + ", 8, 0}";
      if (t.inner[i].kind == TypeKind::None)  // a float / double member of a script struct
        row = "{BTC_T_NONE, " + std::to_string(el.offset) + ", " + std::to_string(t.inner[i].size) + ", 0}";
      elems += (i ? ", " : "") + row;
      if (!t.fields.empty()) names += (i ? ", " : "") + c_string_literal(t.fields[i]);
    }
    uint32_t index = static_cast<uint32_t>(signatures.size());
    std::string name = "tuple_fields_" + std::to_string(index);
    arrays << "const btc_field " << name << "[] = {" << elems << "};\n";
    std::string names_ref = "nullptr";
    if (!names.empty()) {
      names_ref = "tuple_names_" + std::to_string(index);
      arrays << "const char *const " << names_ref << "[] = {" << names << "};\n";
    }
    signatures.push_back(sig);
    rows.push_back("{" + std::to_string(offsets.size()) + ", " + name + ", " + names_ref + "}");
    return index;
  }
};

std::string field_row(const SlotLayout &s, StringTable &strings, TupleTable &tuples) {
  const char *t = s.bytes_field      ? s.bytes_field
                  : s.is_string      ? "BTC_T_STR"
                  : s.is_tuple       ? "BTC_T_TUPLE"
                  : s.stack == 1     ? "BTC_T_KSTACK"
                  : s.stack == 2     ? "BTC_T_USTACK"
                  : s.is_ksym        ? "BTC_T_KSYM"
                  : s.is_usym        ? "BTC_T_USYM"
                  : s.is_timestamp   ? "BTC_T_TIMESTAMP"
                  : s.is_strerror    ? "BTC_T_STRERROR"
                  : s.is_username    ? "BTC_T_USERNAME"
                  : s.is_bool        ? "BTC_T_BOOL"
                  : s.is_cgroup_path ? "BTC_T_CGROUP_PATH"
                  : s.is_pointer     ? "BTC_T_PTR"
                  : s.is_signed      ? "BTC_T_INT"
                                     : "BTC_T_UINT";
  uint32_t pad = s.is_timestamp     ? strings.intern(s.strftime_fmt)
                 : s.is_cgroup_path ? strings.intern(s.cgroup_filter)
                 : s.is_tuple       ? tuples.intern(s.tuple, strings)
                 : s.bitfield       ? s.bitfield
                 : s.str_no_trailer ? 1u
                                    : s.stack_info;
  // Structs and records (named tuples) print their member names, arrays their elements (as many
  // as the field's size holds).
  if (s.is_tuple && !s.tuple.fields.empty()) t = "BTC_T_RECORD";
  if (s.is_composite) {
    t = s.tuple.kind == TypeKind::Array ? "BTC_T_ARRAY" : "BTC_T_RECORD";
    pad = tuples.intern(s.tuple, strings);
  }
  if (!s.enum_name.empty()) {  // an enum value: its enumerators are in btc_tool.strings
    t = "BTC_T_ENUM";
    pad = strings.intern_enum(s.enum_name);
  }
  uint32_t size = s.is_composite ? s.tuple.size : s.size;
  if (!s.bytes_field && !s.is_composite && s.str_size) size = s.str_size;
  return std::string("{") + t + ", " + std::to_string(s.offset) + ", " + std::to_string(size) + ", " +
         std::to_string(pad) + "}";
}

// FNV-1a, 64 bit: identifies the script a tool was built from (shown by --version).
std::string script_hash(const std::string &text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string str_or_null(const std::string &s) { return s.empty() ? "nullptr" : c_string_literal(s); }

std::string loc(const std::string &script, SourceRange r) {
  return script + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.col);
}

// bpftrace's location of a warnf/errorf call on one line: "file:LINE:COL-ENDCOL", ENDCOL one past
// the call's last character.
std::string call_loc(const std::string &script, SourceRange r) {
  std::string file = r.file ? r.file : script;  // a stdlib macro's errorf names stdlib/base.bt
  if (r.end.line != r.begin.line || r.end.col < r.begin.col) return loc(file, r);
  return loc(file, r) + "-" + std::to_string(r.end.col + 1);
}

// bpftrace's source context under a run-time message: the line (tabs as four spaces) and a
// marker line with '~' under the range; every line of a range spanning several.
std::string source_context(const SourceFile &src, SourceRange r) {
  if (r.file || r.begin.line < 1) return "";  // btc's own text (stdlib macros) is not shown
  std::string out;
  if (r.end.line > r.begin.line) {
    for (int l = r.begin.line; l <= r.end.line; l++) out += std::string(src.line(l)) + "\n";
    return out;
  }
  std::string_view text = src.line(r.begin.line);
  std::string shown, marker;
  for (size_t x = 0; x < text.size(); x++) {
    shown += text[x] == '\t' ? std::string(4, ' ') : std::string(1, text[x]);
    if (static_cast<int>(x) >= r.end.col) continue;
    char m = static_cast<int>(x) < r.begin.col - 1 ? ' ' : '~';
    marker += text[x] == '\t' ? std::string(4, m) : std::string(1, m);
  }
  return shown + "\n" + marker + "\n";
}

// What follows a warnf/errorf/run-time check message: the source line of a run-time check, then
// each macro call the location was expanded from, with its source line, as bpftrace prints them.
std::string diagnostic_trailer(const PrintfInfo &pf, const SourceFile &src) {
  std::string out = pf.runtime_check ? source_context(src, pf.range) : "";
  std::string sev = pf.severity == BTC_SEV_ERRORF ? "ERROR: " : "WARNING: ";
  for (const SourceRange *call = pf.range.expanded_from; call; call = call->expanded_from)
    out += call_loc(src.name(), *call) + ": " + sev + "expanded from\n" + source_context(src, *call);
  return out;
}

// Emits `static const btc_field NAME[] = {...};` (or nothing) and returns the name or "nullptr".
std::string field_table(std::ostringstream &out, const std::string &name, const std::vector<SlotLayout> &slots,
                        StringTable &strings, TupleTable &tuples) {
  if (slots.empty()) return "nullptr";
  out << "const btc_field " << name << "[] = {";
  for (size_t i = 0; i < slots.size(); i++) out << (i ? ", " : "") << field_row(slots[i], strings, tuples);
  out << "};\n";
  return name;
}

}  // namespace

std::string emit_host_cpp(const ProgramInfo &info, const HostInputs &in) {
  std::ostringstream t;
  StringTable strings;
  strings.info = &info;
  TupleTable tuples;

  // printf formats
  SourceFile source(in.script_name, in.script_text);
  std::vector<std::string> printf_rows;
  for (size_t i = 0; i < info.printfs.size(); i++) {
    const PrintfInfo &pf = info.printfs[i];
    uint32_t total = 0;
    auto slots = layout_slots(pf.args, &total);
    for (size_t j = 0; j < slots.size() && pf.severity == BTC_SEV_PRINT; j++)  // print() shows pointers in hex
      slots[j].is_pointer = pf.args[j].kind == TypeKind::Pointer;
    std::string args = field_table(t, "printf_args_" + std::to_string(i), slots, strings, tuples);
    std::string names = "nullptr";
    if (!pf.arg_names.empty()) {
      names = "printf_names_" + std::to_string(i);
      t << "const char *const " << names << "[] = {";
      for (size_t n = 0; n < pf.arg_names.size(); n++) t << (n ? ", " : "") << c_string_literal(pf.arg_names[n]);
      t << "};\n";
    }
    std::string trailer = "nullptr";
    if (pf.severity == BTC_SEV_WARNF || pf.severity == BTC_SEV_ERRORF) {
      std::string text = diagnostic_trailer(pf, source);
      if (!text.empty()) trailer = c_string_literal(text);
    }
    printf_rows.push_back("{" + c_string_literal(pf.fmt) + ", " + std::to_string(pf.args.size()) + ", " + args + ", " +
                          std::to_string(pf.severity) + ", " + c_string_literal(call_loc(in.script_name, pf.range)) +
                          ", " + names + ", " + trailer + "}");
  }
  if (!printf_rows.empty()) {
    t << "const btc_printf_desc printfs[] = {\n";
    for (const auto &r : printf_rows) t << "    " << r << ",\n";
    t << "};\n";
  }

  // maps (ProgramInfo keeps them sorted by name)
  std::vector<std::string> map_rows;
  for (size_t i = 0; i < info.maps.size(); i++) {
    const MapInfo &m = info.maps[i];
    uint32_t key_size = 0;
    auto slots = layout_slots(m.keys, &key_size);
    if (map_has_bucket(m)) key_size += 8;
    if (key_size == 0) key_size = 8;
    std::string keys = field_table(t, "map_keys_" + std::to_string(i), slots, strings, tuples);
    std::string value;
    if (m.value.kind == TypeKind::Tseries) {  // the type of the recorded values
      value = std::string("{") + (m.value.is_signed ? "BTC_T_INT" : "BTC_T_UINT") + ", 0, 24, 0}";
    } else if (m.value.is_aggregate()) {
      uint32_t sz = (m.value.kind == TypeKind::Min || m.value.kind == TypeKind::Max || m.value.kind == TypeKind::Avg ||
                     m.value.kind == TypeKind::Stats)
                        ? 16
                        : 8;
      value = "{BTC_T_INT, 0, " + std::to_string(sz) + ", 0}";
    } else if (m.value.kind == TypeKind::Pointer) {
      value = "{BTC_T_PTR, 0, 8, 0}";
    } else {
      uint32_t vs = 0;
      value = field_row(layout_slots({m.value}, &vs)[0], strings, tuples);
    }
    map_rows.push_back("{" + c_string_literal(m.name) + ", " + c_string_literal(m.c_name) + ", " +
                       map_kind_name(m.value.kind) + ", " + (map_is_percpu(m) ? "1" : "0") + ", " +
                       std::to_string(key_size) + ", " + std::to_string(m.keys.size()) + ", " + keys + ", " + value +
                       ", " + std::to_string(m.value.lhist_min) + ", " + std::to_string(m.value.lhist_max) + ", " +
                       std::to_string(m.value.lhist_step) + ", " + std::to_string(m.value.hist_bits) + ", " +
                       std::to_string(m.value.tseries_interval) + "ULL, " + std::to_string(m.value.tseries_count) +
                       ", " + std::to_string(m.value.tseries_agg) + ", {" + std::to_string(m.value.lhist_params[0]) +
                       ", " + std::to_string(m.value.lhist_params[1]) + ", " + std::to_string(m.value.lhist_params[2]) +
                       "}, " + (m.soft_delete ? "1" : "0") + "}");
  }
  if (!map_rows.empty()) {
    t << "const btc_map_desc maps[] = {\n";
    for (const auto &r : map_rows) t << "    " << r << ",\n";
    t << "};\n";
  }

  // getopt() parameters
  if (!info.named_params.empty()) {
    t << "const btc_param_desc named_params[] = {\n";
    for (size_t i = 0; i < info.named_params.size(); i++) {
      const auto &p = info.named_params[i];
      const char *kind = p.type.is_string() ? "BTC_PARAM_STR" : p.type.kind == TypeKind::Bool ? "BTC_PARAM_BOOL"
                                                                                                : "BTC_PARAM_INT";
      t << "    {" << c_string_literal(p.name) << ", " << kind << ", " << i << ", " << c_string_literal(p.default_value)
        << ", " << c_string_literal(p.description) << "},\n";
    }
    t << "};\n";
  }

  if (!tuples.rows.empty()) {
    t << tuples.arrays.str() << "const btc_field_list tuples[] = {";
    for (size_t i = 0; i < tuples.rows.size(); i++) t << (i ? ", " : "") << tuples.rows[i];
    t << "};\n";
  }

  if (!strings.items.empty()) {
    t << "const char *const strings[] = {";
    for (size_t i = 0; i < strings.items.size(); i++) t << (i ? ", " : "") << c_string_literal(strings.items[i]);
    t << "};\n";
  }

  if (!info.ksyms.empty()) {  // kaddr() symbols: slot i of btc_params.ksym_addr
    t << "const char *const ksyms[] = {";
    for (size_t i = 0; i < info.ksyms.size(); i++) t << (i ? ", " : "") << c_string_literal(info.ksyms[i]);
    t << "};\n";
    t << "const btc_source_ref ksym_sources[] = {";  // where each is asked for, for the error when missing
    for (size_t i = 0; i < info.ksym_ranges.size(); i++)
      t << (i ? ", " : "") << "{" << c_string_literal(call_loc(in.script_name, info.ksym_ranges[i])) << ", "
        << c_string_literal(source_context(source, info.ksym_ranges[i])) << "}";
    t << "};\n";
  }

  if (!info.kfunc_queries.empty()) {  // kfunc_exist()/kfunc_allowed(): slot i of btc_params.kfunc_answer
    t << "const btc_kfunc_query kfunc_queries[] = {";
    for (size_t i = 0; i < info.kfunc_queries.size(); i++)
      t << (i ? ", " : "") << "{" << c_string_literal(info.kfunc_queries[i].first) << ", "
        << info.kfunc_queries[i].second << "}";
    t << "};\n";
  }

  if (!info.cgroupid_paths.empty()) {  // cgroupid() paths: slot i of btc_params.cgroup_id
    t << "const char *const cgroupid_paths[] = {";
    for (size_t i = 0; i < info.cgroupid_paths.size(); i++)
      t << (i ? ", " : "") << c_string_literal(info.cgroupid_paths[i]);
    t << "};\n";
  }

  if (!info.skb_outputs.empty()) {  // skboutput() calls by id: pcap file and offset
    t << "const btc_skb_output skb_outputs[] = {";
    for (size_t i = 0; i < info.skb_outputs.size(); i++)
      t << (i ? ", " : "") << "{" << c_string_literal(info.skb_outputs[i].first) << ", " << info.skb_outputs[i].second
        << "ULL}";
    t << "};\n";
  }

  // probes
  t << "const btc_probe_desc probes[] = {\n";
  for (const auto &p : info.probes) {
    // A tracepoint run as its raw tracepoint attaches there; folded syscall tracepoints count as
    // one probe each (check/syscall_multi.h).
    bool as_raw = !p.raw_tracepoint.empty();
    t << "    {" << c_string_literal(p.prog_name) << ", " << (as_raw ? "BTC_PROBE_RAWTP" : probe_kind_name(p.kind))
      << ", " << c_string_literal(p.spec) << ", " << str_or_null(as_raw ? "" : p.target) << ", "
      << str_or_null(as_raw ? p.raw_tracepoint : p.func) << ", " << p.offset << "ULL, " << p.period << "ULL, "
      << c_string_literal(loc(in.script_name, p.attach->range)) << ", "
      << (p.kprobe_twin()   ? c_string_literal(p.prog_name + "_kp")
          : p.fentry_twin() ? c_string_literal(p.prog_name + "_fe")
                            : "nullptr")
      << ", " << p.period_param << ", " << (as_raw ? p.multi.size() : 0) << "},\n";
  }
  t << "};\n";

  // uprobe globs whose matches share one program: the functions, by attach cookie
  size_t nmulti = 0;
  for (size_t i = 0; i < info.probes.size(); i++) {
    if (info.probes[i].runtime_matches && info.probes[i].kind != ProbeKind::Usdt) nmulti++;
    if (!info.probes[i].uprobe_folded()) continue;
    t << "const char *const uprobe_multi_funcs_" << i << "[] = {";
    for (const auto &m : info.probes[i].multi) t << c_string_literal(m.func) << ", ";
    t << "};\n";
    nmulti++;
  }
  if (nmulti > 0) {
    t << "const btc_uprobe_multi uprobe_multi[] = {\n";
    for (size_t i = 0; i < info.probes.size(); i++) {
      if (info.probes[i].runtime_matches && info.probes[i].kind != ProbeKind::Usdt)  // found at run time (glob)
        t << "    {" << i << ", 0, nullptr, " << c_string_literal(info.probes[i].glob) << "},\n";
      else if (info.probes[i].uprobe_folded())
        t << "    {" << i << ", " << info.probes[i].multi.size() << ", uprobe_multi_funcs_" << i << ", nullptr},\n";
    }
    t << "};\n";
  }

  std::string obj_path;
  for (char c : in.obj_path) {  // inside an asm string inside a C++ string
    if (c == '"' || c == '\\') obj_path += "\\\\\\";
    obj_path += c;
  }
  return fill_template(embedded_file("tool_main.cpp.in"),
                       {
                           {"SCRIPT", in.script_name},
                           {"OBJ_PATH", obj_path},
                           {"OBJ_RAW_SIZE", std::to_string(in.obj_raw_size)},
                           {"TABLES", t.str()},
                           {"TOOL_NAME", c_string_literal(in.tool_name)},
                           {"HELP", c_string_literal(in.help)},
                           {"VERSION", c_string_literal(in.version)},
                           {"PROBES", "probes"},
                           {"NPROBES", std::to_string(info.probes.size())},
                           {"MAPS", map_rows.empty() ? "nullptr" : "maps"},
                           {"NMAPS", std::to_string(map_rows.size())},
                           {"PRINTFS", printf_rows.empty() ? "nullptr" : "printfs"},
                           {"NPRINTFS", std::to_string(printf_rows.size())},
                           {"MAX_PARAM", std::to_string(info.max_param)},
                           {"NAMED_PARAMS", info.named_params.empty() ? "nullptr" : "named_params"},
                           {"NNAMED_PARAMS", std::to_string(info.named_params.size())},
                           {"SCRIPT_HASH", c_string_literal(script_hash(in.script_text))},
                           {"BUILD_KERNEL", c_string_literal(in.build_kernel)},
                           {"COMM_OFFSET", std::to_string(in.comm_offset)},
                           {"BUILD_BTF_SIZE", std::to_string(in.build_btf_size)},
                           {"MISSING_PROBES", std::to_string(info.config.missing_probes)},
                           {"NO_PRINT_MAPS", info.config.print_maps_on_exit ? "0" : "1"},
                           {"STRINGS", strings.items.empty() ? "nullptr" : "strings"},
                           {"NSTRINGS", std::to_string(strings.items.size())},
                           {"STR_TRUNC_TRAILER", c_string_literal(info.config.str_trunc_trailer)},
                           {"KSYMS", info.ksyms.empty() ? "nullptr" : "ksyms"},
                           {"NKSYMS", std::to_string(info.ksyms.size())},
                           {"TUPLES", tuples.rows.empty() ? "nullptr" : "tuples"},
                           {"NTUPLES", std::to_string(tuples.rows.size())},
                           {"DEMANGLE", demangles_user_symbols(info) ? "btc_cxa_demangle" : "nullptr"},
                           {"MAX_CAT_BYTES", std::to_string(info.config.max_cat_bytes) + "ULL"},
                           {"TSERIES", has_tseries_map(info) ? "&btc_tseries_functions" : "nullptr"},
                           {"SOURCE_LINE", locates_user_source(info) ? "btc_dwarf_source_line" : "nullptr"},
                           {"PATH_SEEN_BY", has_user_probes(info) ? "btc_path_seen_by" : "nullptr"},
                           {"BUILD_ID_STACKS", info.uses_build_id_stacks ? "&btc_build_id_stack_functions" : "nullptr"},
                           {"USER_SYMBOL_CACHE",
                            prints_any(info, shows_user_symbols) ? "&btc_user_symbol_cache_functions" : "nullptr"},
                           {"USER_SYMBOL_MODE", user_symbol_mode(info)},
                           {"UPROBE_MULTI", nmulti > 0 ? "uprobe_multi" : "nullptr"},
                           {"NUPROBE_MULTI", std::to_string(nmulti)},
                           {"UPROBE_MULTI_FUNCTIONS", nmulti > 0 ? "&btc_uprobe_multi_functions" : "nullptr"},
                           {"SKB_OUTPUTS", info.skb_outputs.empty() ? "nullptr" : "skb_outputs"},
                           {"NSKB_OUTPUTS", std::to_string(info.skb_outputs.size())},
                           {"PCAP_WRITER", info.skb_outputs.empty() ? "nullptr" : "&btc_pcap_writer_functions"},
                           {"KFUNC_QUERIES", info.kfunc_queries.empty() ? "nullptr" : "kfunc_queries"},
                           {"NKFUNC_QUERIES", std::to_string(info.kfunc_queries.size())},
                           {"KSYM_SOURCES", info.ksyms.empty() ? "nullptr" : "ksym_sources"},
                           {"INT_PARAMS", std::to_string(info.int_params) + "u"},
                           {"CGROUPID_PATHS", info.cgroupid_paths.empty() ? "nullptr" : "cgroupid_paths"},
                           {"NCGROUPID_PATHS", std::to_string(info.cgroupid_paths.size())},
                           {"TEST_BENCH", has_test_or_bench(info) ? "&btc_test_bench_functions" : "nullptr"},
                           {"USDT_PROCESS_FUNCTIONS",
                            has_usdt_globs(info) ? "&btc_usdt_process_functions" : "nullptr"},
                           {"DW_UNWIND", info.uses_dw_stacks ? "&btc_dw_unwind_functions" : "nullptr"},
                           {"READS_CPID", info.reads_cpid ? "1u" : "0u"},
                           {"MAX_PROBES", std::to_string(info.config.max_probes) + "ULL"},
                           {"BUILD_TIME_PROBES", std::to_string(info.build_time_probes) + "ULL"},
                           {"ANSWER_KFUNC_QUERIES",
                            info.kfunc_queries.empty() ? "nullptr" : "btc_answer_kfunc_queries"},
                           {"CGROUP_ID_OF", info.cgroupid_paths.empty() ? "nullptr" : "btc_cgroup_id_of"},
                           {"CGROUP_PATH_FUNCTIONS",
                            prints_any(info, shows_cgroup_paths) ? "&btc_cgroup_path_functions" : "nullptr"},
                       });
}

}  // namespace btc
