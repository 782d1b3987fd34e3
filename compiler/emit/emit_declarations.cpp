// Declarations at the top of the BPF C file: types, tracepoint structs, maps, event structs.
#include "ast/ast_walk.h"
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

void BpfEmitter::emit_kernel_types() {
  std::vector<std::string> records = info_.kernel_records;
  for (const auto &p : info_.probes)
    if (p.kind == ProbeKind::Iter) records.push_back("struct bpf_iter__" + p.func);
  for (const auto &p : info_.probes)
    if (p.kind == ProbeKind::Iter && !p.target.empty()) records.push_back("struct bpf_iter_meta");  // ->seq
  for (const auto &p : info_.probes)
    if (p.kind == ProbeKind::Usdt) {  // libbpf's usdt.bpf.h needs these
      records.push_back("struct pt_regs");
      records.push_back("bool");
    }
  for (const auto &p : info_.probes)
    if (p.tracepoint && !p.tracepoint->btf_struct.empty()) records.push_back(p.tracepoint->btf_struct);
  if (info_.uaddr_pie)  // btc_file_load_addr() walks the task's mappings
    for (const char *t : {"struct task_struct", "struct vm_area_struct", "struct file", "struct inode"})
      records.push_back(t);
  if (!btf_) {
    out_ << "#include <linux/types.h>\n#include <linux/bpf.h>\n\n";
    return;
  }
  // Always emitted: the basic types and BPF enums the prelude needs come from BTF too.
  if (!prog_.c_definitions.empty())  // script structs may use the kernel's short typedefs
    for (const char *t : {"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "bool"}) records.push_back(t);
  std::set<std::string> uniq(records.begin(), records.end());
  out_ << btf_->emit_c_definitions(std::vector<std::string>(uniq.begin(), uniq.end())) << "\n";
}

// The script's preamble. With BTF, kernel types come from BTF, so #include lines of kernel
// headers are dropped (they would redefine them); #defines stay. struct/union/enum/typedef
// definitions were read by the checker (ScriptTypes): their members are read at constant
// offsets, so clang never sees them.
void BpfEmitter::emit_script_definitions() {
  // Imported BPF C first: a header it includes may be imported too, and that copy's include
  // guard must not hide the definitions from it.
  for (const auto &path : info_.c_sources) out_ << "#include " << c_string_literal(path) << "  /* import */\n";
  for (const auto &d : prog_.c_definitions) {
    if (d.empty() || d[0] != '#') continue;
    if (btf_ && d.rfind("#include", 0) == 0) {
      out_ << "/* " << d << ": types come from BTF */\n";
      continue;
    }
    out_ << d << "\n";
  }
}

// Tracepoints without a BTF record: a struct laid out from the tracefs format file.
void BpfEmitter::emit_tracepoint_structs() {
  for (const auto &p : info_.probes) {
    if (!p.tracepoint || !p.tracepoint->btf_struct.empty()) continue;
    const auto &tp = *p.tracepoint;
    out_ << "struct " << tp_struct_name(p) << " {\n";
    uint32_t off = 8;  // common_type, common_flags, common_preempt_count, common_pid
    out_ << "  __u64 btc_common;\n";
    int pad = 0;
    for (const auto &f : tp.fields) {
      if (f.offset < off) continue;
      if (f.offset > off) out_ << "  __u8 btc_pad" << pad++ << "[" << f.offset - off << "];\n";
      out_ << "  " << field_decl(f) << ";\n";
      off = f.offset + f.size;
    }
    out_ << "};\n\n";
  }
}

std::string BpfEmitter::field_decl(const TracepointField &f) {
  if (f.is_data_loc) return "__u32 " + f.name;
  if (f.type.kind == TypeKind::String) return "char " + f.name + "[" + std::to_string(f.size) + "]";
  if (f.type.kind == TypeKind::Int && f.size <= 8 && (f.size & (f.size - 1)) == 0)
    return std::string(f.type.is_signed ? "__s" : "__u") + std::to_string(f.size * 8) + " " + f.name;
  if (f.size == 8) return "__u64 " + f.name;  // pointers
  return "__u8 " + f.name + "[" + std::to_string(f.size) + "]";
}

std::string BpfEmitter::tp_struct_name(const ProbeTarget &p) const {
  if (!p.tracepoint->btf_struct.empty()) return p.tracepoint->btf_struct.substr(7);  // drop "struct "
  return "btc_tp_" + p.prog_name;
}

void BpfEmitter::emit_maps() {
  for (size_t i = 0; i < info_.maps.size(); i++) {
    const MapInfo &m = info_.maps[i];
    if (hist_slots_.count(m.name)) {  // see find_hist_slot_maps
      out_ << "struct {\n  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n  __type(key, __u32);\n  __type(value, __u64["
           << hist_slots_.at(m.name) + 1 << "]);\n  __uint(max_entries, 1);\n} " << m.c_name << " SEC(\".maps\");\n\n";
      continue;
    }
    std::string key_type = "__u64";
    if (!m.keys.empty() || map_has_bucket(m)) {
      key_type = "struct " + m.c_name + "_key";
      out_ << key_type << " {\n";
      for (size_t k = 0; k < m.keys.size(); k++) {
        if (m.keys[k].stored_as_bytes())
          out_ << "  char k" << k << "[" << round8(m.keys[k].size) << "];\n";
        else if (m.keys[k].kind == TypeKind::Tuple)  // padded to its 8-byte slot
          out_ << "  " << tuples_.member_decl(m.keys[k], "k" + std::to_string(k)) << ";\n"
               << (round8(m.keys[k].size) > m.keys[k].size
                       ? "  __u8 k" + std::to_string(k) + "_pad[" +
                             std::to_string(round8(m.keys[k].size) - m.keys[k].size) + "];\n"
                       : "");
        else if (m.keys[k].kind == TypeKind::Ustack || m.keys[k].kind == TypeKind::Usym)
          out_ << "  __u64 k" << k << "[2];\n";  // stack id or address, pid
        else
          out_ << "  " << int_ctype(m.keys[k]) << " k" << k << ";\n";
      }
      if (map_has_bucket(m)) out_ << "  __u64 bucket;\n";
      out_ << "};\n";
    }
    std::string value_type = map_value_ctype(m);
    if (m.value.stored_as_bytes()) {
      out_ << "struct " << m.c_name << "_val {\n  char s[" << round8(m.value.size) << "];\n};\n";
    } else if (holds_user_address(m.value)) {
      out_ << "struct " << m.c_name << "_val {\n  __u64 v[2]; /* stack id or address, pid */\n};\n";
    }
    const char *type = map_is_percpu(m) ? (m.lru ? "BPF_MAP_TYPE_LRU_PERCPU_HASH" : "BPF_MAP_TYPE_PERCPU_HASH")
                                        : (m.lru ? "BPF_MAP_TYPE_LRU_HASH" : "BPF_MAP_TYPE_HASH");
    out_ << "struct {\n  __uint(type, " << type << ");\n  __type(key, " << key_type << ");\n  __type(value, "
         << value_type << ");\n  __uint(max_entries, " << m.max_entries << ");\n} " << m.c_name
         << " SEC(\".maps\");\n\n";
  }
}

// Key-less hist()/lhist() maps that BPF code only adds to (print/clear/zero are done by the runtime)
// become one per-CPU array slot holding every bucket (abi.h, BTC_HIST_SLOT_ADD): an array lookup,
// which the verifier inlines, instead of a hash lookup per event. Maps declared with `let` keep
// their declared type. hist_slots_ maps the map name to its number of buckets.
void BpfEmitter::find_hist_slot_maps() {
  std::set<std::string> other_uses, declared;
  for (const auto &d : prog_.map_decls) declared.insert(d.name);
  // Collects the maps used other than as a target of hist()/lhist() or print/clear/zero.
  ast::Visitor scan;
  scan.expr = [&](const Expr &e) {
    if (e.kind == ExprKind::Map) other_uses.insert(e.name);
    bool runtime_op = e.kind == ExprKind::Call && (e.name == "print" || e.name == "clear" || e.name == "zero") &&
                      !e.args.empty() && e.args[0]->kind == ExprKind::Map && e.args[0]->args.empty();
    if (!runtime_op) return ast::Walk::Children;
    for (size_t i = 1; i < e.args.size(); i++) ast::walk(*e.args[i], scan);
    return ast::Walk::SkipChildren;
  };
  scan.stmt = [&](const Stmt &s) {
    bool adds = s.kind == StmtKind::Assign && s.lhs && s.lhs->kind == ExprKind::Map && s.op == "=" && s.expr &&
                s.expr->kind == ExprKind::Call && (s.expr->name == "hist" || s.expr->name == "lhist");
    if (!adds) return ast::Walk::Children;
    ast::walk_children(*s.lhs, scan);  // the keys
    ast::walk(*s.expr, scan);
    return ast::Walk::SkipChildren;
  };
  for (const auto &p : prog_.probes) ast::walk(p, scan);
  for (const MapInfo &m : info_.maps) {
    if (!map_is_hist(m) || !m.keys.empty() || m.lru || other_uses.count(m.name) || declared.count(m.name)) continue;
    if (m.value.lhist_from_params()) continue;  // the bucket count is known only at run time
    uint64_t n = m.value.kind == TypeKind::Hist
                     ? ((64ULL - m.value.hist_bits) << m.value.hist_bits) + 1
                     : 2 + static_cast<uint64_t>(m.value.lhist_max - m.value.lhist_min) / m.value.lhist_step;
    if (m.value.kind == TypeKind::Lhist && (m.value.lhist_step <= 0 || m.value.lhist_max < m.value.lhist_min)) continue;
    if (n <= kMaxHistSlotBuckets) hist_slots_[m.name] = n;
  }
}

std::string BpfEmitter::map_value_ctype(const MapInfo &m) {
  if (m.soft_delete) return "struct btc_live_val";  // the value and its live word (btc_bpf.h)
  switch (m.value.kind) {
    case TypeKind::Tuple:
      return tuples_.name(m.value);
    case TypeKind::Min:
    case TypeKind::Max:
      return "struct btc_minmax";
    case TypeKind::Avg:
    case TypeKind::Stats:
      return "struct btc_avg";
    case TypeKind::Tseries:
      return "struct btc_tseries";
    case TypeKind::String:
    case TypeKind::Buffer:
    case TypeKind::Record:
    case TypeKind::Array:
    case TypeKind::Inet:
    case TypeKind::MacAddr:
      return "struct " + m.c_name + "_val";
    case TypeKind::Ustack:
    case TypeKind::Usym:
      return "struct " + m.c_name + "_val";
    case TypeKind::Count:
    case TypeKind::Hist:
    case TypeKind::Lhist:
      return "__u64";
    default:
      return m.value.is_signed || m.value.is_aggregate() ? "__s64" : "__u64";
  }
}

// The largest event record: a printf-table entry's (header and slots), or print(@m, top, div)'s
// header and two u64s. Sizes btc_event_buf, where perf-buffer mode builds records (btc_bpf.h).
uint32_t BpfEmitter::max_event_size() const {
  uint32_t max = sizeof(uint64_t) + 16;
  for (const PrintfInfo &pf : info_.printfs) {
    uint32_t total = 0;
    layout_slots(pf.args, &total);
    max = std::max(max, static_cast<uint32_t>(sizeof(uint64_t)) + total);
  }
  return max;
}

void BpfEmitter::emit_printf_structs() {
  for (size_t i = 0; i < info_.printfs.size(); i++) {
    const PrintfInfo &pf = info_.printfs[i];
    uint32_t total = 0;
    auto slots = layout_slots(pf.args, &total);
    out_ << "struct btc_printf_" << i << " {\n  struct btc_event_hdr hdr;\n";
    for (size_t a = 0; a < slots.size(); a++) {
      if (slots[a].is_string)
        out_ << "  char a" << a << "[" << slots[a].size << "];\n";
      else if (slots[a].is_tuple)
        out_ << "  " << tuples_.member_decl(pf.args[a], "a" + std::to_string(a)) << ";\n"
             << (slots[a].size > pf.args[a].size ? "  __u8 a" + std::to_string(a) + "_pad[" +
                                                       std::to_string(slots[a].size - pf.args[a].size) + "];\n"
                                                 : "");
      else if (slots[a].stack == 2 || slots[a].is_usym)
        out_ << "  __u64 a" << a << "[2];\n";  // stack id or address, pid
      else
        out_ << "  " << (slots[a].is_signed ? "__s64" : "__u64") << " a" << a << ";\n";
    }
    out_ << "}; _Static_assert(sizeof(struct btc_printf_" << i << ") <= BTC_EVENT_MAX_SIZE, \"btc_event_buf\");\n\n";
  }
}

// Every tuple type the program uses, defined before the maps and records that hold them.
void BpfEmitter::emit_tuple_structs() {
  auto note = [&](const Type &t) {
    if (t.kind == TypeKind::Tuple) tuples_.name(t);
  };
  for (const auto &[probe, vars] : info_.var_types)
    for (const auto &[name, t] : vars) note(t);
  for (const auto &[stmt, t] : info_.loop_var_types) note(t);
  for (const auto &t : info_.temp_tuple_types) note(t);
  for (const auto &m : info_.maps) {
    note(m.value);
    for (const auto &k : m.keys) note(k);
  }
  for (const auto &pf : info_.printfs)
    for (const auto &t : pf.args) note(t);
  out_ << tuples_.definitions();
}

}  // namespace btc::bpf_emitter_internal
