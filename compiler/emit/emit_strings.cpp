// String-valued expressions and the functions whose bytes the runtime formats (buf, ntop, pton, macaddr, join).
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

// Copies a string value into a char array of dst_size bytes, zero-padded. A string that fills
// its whole type size without a NUL was cut when it was read: it stays so (the runtime prints
// it with the truncation trailer, as bpftrace does).
void BpfEmitter::copy_string(const std::string &dst, uint32_t dst_size, const StrVal &src, bool zero_first) {
  uint32_t n = std::min(dst_size, src.size);
  if (zero_first && big(dst_size)) {  // only the bytes the copy leaves
    if (n < dst_size) line(mem_zero(dst + " + " + std::to_string(n), dst_size - n));
  } else if (zero_first) {
    line(mem_zero(dst, dst_size));
  }
  line(mem_copy(dst, src.expr, n));
}

// Copies a value kept as bytes (Type::stored_as_bytes): strings stay NUL-terminated, the other
// values (buf, ntop, macaddr) are copied as they are, zero-padded.
void BpfEmitter::copy_value(const std::string &dst, uint32_t dst_size, const StrVal &src, const Type &t,
                            bool zero_first) {
  if (t.is_string()) return copy_string(dst, dst_size, src, zero_first);
  uint32_t n = std::min(dst_size, src.size);
  if (zero_first && n < dst_size)
    line(big(dst_size) ? mem_zero(dst + " + " + std::to_string(n), dst_size - n) : mem_zero(dst, dst_size));
  line(mem_copy(dst, src.expr, n));
}

// `probe` (spec) or `func` in a program that a glob's matches share (ProbeTarget::multi):
// the fired match's text, from a table indexed by the attach cookie the runtime gave the match
// (uprobes) or by the system call's match (folded syscall tracepoints).
StrVal BpfEmitter::match_text(bool spec) {
  size_t longest = 0;
  std::string rows;
  for (const auto &m : cur_->multi) {
    const std::string &text = spec ? m.spec : m.func;
    longest = std::max(longest, text.size());
    rows += c_string_literal(text) + ", ";
  }
  std::string n = std::to_string(cur_->multi.size()), width = std::to_string(longest + 1);
  std::string table = tmp("match"), i = tmp("i");
  line("static const char " + table + "[" + n + "][" + width + "] = {" + rows + "};");
  // Folded syscall tracepoints know their match from the system call's number (syscall_match).
  line("__u64 " + i + " = " + (!cur_->syscall_folded() ? "bpf_get_attach_cookie(ctx)" : "btc_match") + ";");
  line("if (" + i + " >= " + n + ") " + i + " = 0;");
  return {table + "[" + i + "]", static_cast<uint32_t>(longest + 1)};
}

// `probe` or `func` of uprobe:*:glob: the fired match's text, from the table the runtime filled
// (abi.h, BTC_UPROBE_NAMES_MAP) at the attach cookie it gave the match.
// usdt:*:provider:name globs keep their names in BTC_USDT_NAMES_MAP at the USDT cookie (libbpf
// uses the attach cookie itself).
StrVal BpfEmitter::runtime_match_text(bool spec) {
  bool usdt = cur_->kind == ProbeKind::Usdt;
  std::string key = tmp("cookie"), name = tmp("name");
  line("__u32 " + key + " = (__u32)" + (usdt ? "bpf_usdt_cookie(ctx)" : "bpf_get_attach_cookie(ctx)") + ";");
  line("const struct btc_uprobe_name *" + name + " = bpf_map_lookup_elem(&" +
       (usdt ? "btc_usdt_names" : "btc_uprobe_names") + ", &" + key + ");");
  line("if (!" + name + ") " + name + " = &btc_uprobe_no_name;");
  if (spec) return {name + "->probe", BTC_UPROBE_PROBE_SIZE};
  return {name + "->func", BTC_UPROBE_FUNC_SIZE};
}

std::string BpfEmitter::str_eq(const StrVal &a, const StrVal &b) {
  std::string eq = "btc_streq(" + a.expr + ", " + b.expr + ", " + std::to_string(std::min(a.size, b.size)) + ")";
  // Different sizes: the shorter one must end exactly where the longer one does.
  if (a.size != b.size) {
    const StrVal &longer = a.size > b.size ? a : b;
    uint32_t n = std::min(a.size, b.size);
    eq = "(" + eq + " && ((const char *)" + longer.expr + ")[" + std::to_string(n - 1) + "] == 0)";
  }
  return "(" + eq + ")";
}

StrVal BpfEmitter::str_expr(const Expr &e) {
  switch (e.kind) {
    case ExprKind::String:
      return {c_string_literal(e.sval), static_cast<uint32_t>(e.sval.size() + 1)};
    case ExprKind::Var:
      return {var_lv(e.name), var_type(e.name).size};
    case ExprKind::Builtin: {
      if (e.name == "comm") {
        std::string t = tmp("s");
        line("char " + t + "[16] __attribute__((aligned(8)));");
        line("btc_current_comm(" + t + ");");
        return {t, 16};
      }
      if (e.name == "pcomm" || e.name == "leader_comm") {  // current->real_parent / group_leader ->comm
        std::string t = tmp("s");
        line("char " + t + "[16] = {};");
        line("BPF_CORE_READ_INTO(&" + t + ", (struct task_struct *)bpf_get_current_task(), " +
             (e.name == "pcomm" ? "real_parent" : "group_leader") + ", comm);");
        return {t, 16};
      }
      if ((e.name == "probe" || e.name == "func") && !cur_->multi.empty()) return match_text(e.name == "probe");
      if ((e.name == "probe" || e.name == "func") && cur_->runtime_matches)
        return runtime_match_text(e.name == "probe");
      if (e.name == "probe") return {c_string_literal(cur_->spec), static_cast<uint32_t>(cur_->spec.size() + 1)};
      if (e.name == "func")
        return {c_string_literal(cur_->func_name()), static_cast<uint32_t>(cur_->func_name().size() + 1)};
      break;
    }
    case ExprKind::Map: {
      const MapInfo &m = info_.map(e.name);
      std::string k = build_key(e, nullptr);
      uint32_t n = round8(m.value.size);
      std::string t = char_temp("s", n);
      std::string p = tmp("p");
      line("struct " + m.c_name + "_val *" + p + " = bpf_map_lookup_elem(&" + m.c_name + ", &" + k + ");");
      line("if (" + p + ") " + mem_copy(t, p + "->s", n));
      return {t, n};
    }
    case ExprKind::Call:
      if (e.name == "str") return str_call(e);
      if (e.name == "buf") return buf_call(e);
      if (e.name == "ntop") return ntop_call(e);
      if (e.name == "pton") return pton_bytes(e);
      if (e.name == "macaddr") return macaddr_call(e);
      if (e.name == "signal_name") {
        std::string t = tmp("s");
        line("char " + t + "[" + std::to_string(BTC_SIGNAL_NAME_SIZE) + "] = {};");
        line("btc_signal_name((__s64)(" + int_expr(*e.args[0]) + "), " + t + ");");
        return {t, BTC_SIGNAL_NAME_SIZE};
      }
      if (e.name == "getopt") return param_string("btc_params.named_str[" + std::to_string(e.ival) + "]");
      if (e.name == "str_concat") return str_concat_call(e);
      if (e.name == "syscall_name") return syscall_name_call(e);
      if (e.name == "path") return path_call(e);
      break;
    case ExprKind::TupleIndex:
      return str_of(val_of(e));
    case ExprKind::Block:
      return str_of(block_value(e));
    case ExprKind::Cast:  // (int8[8])n, (uint8[])"str": the operand's bytes as an array
      if (e.type.is_string()) return string_resize(e);
      return array_cast(e);
    case ExprKind::Index:
    case ExprKind::Unary:
      return read_string(place_of(e), e.type.size);
    case ExprKind::Field: {
      if (e.args[0]->type.kind != TypeKind::Context && !core_chain(e)) return read_string(place_of(e), e.type.size);
      if (e.args[0]->type.kind != TypeKind::Context) {  // char array member of a kernel record
        CorePath p = core_path(e);
        std::string t = char_temp("s", round8(e.type.size));
        line("bpf_core_read(" + t + ", " + std::to_string(e.type.size) + ", &" + p.typed_base() + "->" + p.path + ");");
        return {t, round8(e.type.size)};
      }
      // String-typed tracepoint field: a char array in the record, or a __data_loc string.
      const auto &fields = cur_->tracepoint->fields;
      for (const auto &f : fields) {
        if (f.name != e.name) continue;
        uint32_t n = e.type.size;
        // A __data_loc string is read like str(): one byte more than its type, to tell a cut one.
        uint32_t read = f.is_data_loc ? padded_str_read(n) : n;
        std::string t = char_temp("s", round8(read));
        // BTF records name a __data_loc member "__data_loc_<field>"; format-file structs use the field name.
        std::string member = cur_->tracepoint->btf_struct.empty() ? f.name : "__data_loc_" + f.name;
        if (f.is_data_loc)
          line("bpf_probe_read_kernel_str(" + t + ", " + std::to_string(read) + ", (const char *)ctx + (ctx->" +
               member + " & 0xffff));");
        else
          line("bpf_probe_read_kernel(" + t + ", sizeof(" + t + "), &ctx->" + f.name + ");");
        return {t, n};
      }
      break;
    }
    case ExprKind::Ternary: {
      uint32_t n = round8(e.type.size);
      std::string t = char_temp("s", n);
      std::string c = int_expr(*e.args[0]);
      open_scope("if (" + c + ")");
      copy_value(t, n, str_expr(*e.args[1]), e.type, false);
      else_scope();
      copy_value(t, n, str_expr(*e.args[2]), e.type, false);
      close_scope();
      return {t, n};
    }
    default:
      break;
  }
  return {"\"\"", 1};
}

// $s[i]: the character at index i of a string value. A constant index is within the string (the
// checker made sure); a run-time one is not checked, as in bpftrace: the byte is probe-read from
// wherever it points (0 when that cannot be read).
std::string BpfEmitter::string_char(const Expr &e) {
  StrVal s = str_expr(*e.args[0]);
  const Expr &i = *e.args[1];
  if (i.kind == ExprKind::Int && static_cast<uint64_t>(i.ival) < s.size)
    return "((__s8)(" + s.expr + ")[" + std::to_string(i.ival) + "])";
  std::string c = tmp();
  line("__s8 " + c + " = 0;");
  line("bpf_probe_read_kernel(&" + c + ", 1, (const char *)(" + s.expr + ") + (__u64)(" + int_expr(i) + "));");
  return c;
}

// A char array of `n` bytes at `p`, copied whole (it need not be NUL-terminated).
StrVal BpfEmitter::read_string(const Place &p, uint32_t n) {
  std::string t = char_temp("s", round8(n));
  line(read_helper(p.space) + t + ", " + std::to_string(n) + ", (const void *)(long)(" + p.addr + "));");
  return {t, round8(n)};
}

// (string[N])s: the string in a char array of N bytes, zero-padded.
StrVal BpfEmitter::string_resize(const Expr &e) {
  StrVal src = str_expr(*e.args[0]);
  std::string t = char_temp("s", round8(e.type.size));
  copy_string(t, e.type.size, src, false);
  return {t, e.type.size};
}

StrVal BpfEmitter::array_cast(const Expr &e) {
  const Expr &a = *e.args[0];
  std::string t = char_temp("arr", round8(e.type.size));
  if (a.type.is_string()) {
    StrVal src = str_expr(a);
    line(mem_copy(t, src.expr, std::min(e.type.size, src.size)));
  } else {
    std::string v = tmp();
    line("__u64 " + v + " = (__u64)(" + int_expr(a) + ");");
    line("__builtin_memcpy(" + t + ", &" + v + ", " + std::to_string(std::min(e.type.size, 8u)) + ");");  // x86: LE
  }
  return {t, e.type.size};
}

// A string parameter from btc_params. btc_params is const volatile and zero in the object file:
// a plain memcpy from it would be constant-folded by clang, so copy through a helper.
// skip > 0: the string without its first `skip` characters (str($1 + skip)); the slot is
// NUL-padded, so a skip past the end gives "".
StrVal BpfEmitter::param_string(const std::string &field, uint64_t skip) {
  std::string t = tmp("s");
  line("char " + t + "[" + std::to_string(BTC_PARAM_STR_SIZE) + "] = {};");
  if (skip < BTC_PARAM_STR_SIZE)
    line("bpf_probe_read_kernel(" + t + ", " + std::to_string(BTC_PARAM_STR_SIZE - skip) + ", (const void *)" + field +
         (skip ? " + " + std::to_string(skip) : "") + ");");
  return {t, BTC_PARAM_STR_SIZE};
}

StrVal BpfEmitter::str_call(const Expr &e) {
  const Expr &a = *e.args[0];
  if (a.kind == ExprKind::Positional) return param_string("btc_params.param_str[" + std::to_string(a.ival - 1) + "]");
  if (a.kind == ExprKind::Binary && a.args[0]->kind == ExprKind::Positional && a.type.is_string())
    return param_string("btc_params.param_str[" + std::to_string(a.args[0]->ival - 1) + "]", a.args[1]->uval);
  // The bytes read, the NUL included: str(p) reads one more than max_strlen (see padded_str_read);
  // str(p, n) reads n (at most that); a length computed at run time is capped the same way.
  uint32_t most = padded_str_read(info_.config.max_strlen);
  bool literal_len = e.args.size() == 2 && e.args[1]->kind == ExprKind::Int;
  uint32_t read = literal_len ? static_cast<uint32_t>(std::min<int64_t>(e.args[1]->ival, most)) : most;
  std::string len = std::to_string(read);
  bool runtime_len = e.args.size() == 2 && !literal_len;
  if (runtime_len) {
    len = tmp("len");
    line("__u64 " + len + " = (__u64)(" + int_expr(*e.args[1]) + ");");
    line("if (" + len + " > " + std::to_string(read) + ") " + len + " = " + std::to_string(read) + ";");
  }
  if (a.type.is_string()) {
    StrVal s = str_expr(a);
    if (s.size <= e.type.size && !runtime_len) return s;
    // Cut to `read` bytes, the NUL included: a string longer than max_strlen keeps max_strlen
    // characters and no NUL (it was cut), a shorter length given keeps one character less.
    std::string t = char_temp("s", round8(std::max(e.type.size, read)));
    copy_string(t, e.type.size, s, false);
    if (runtime_len)
      line("if (" + len + " >= 1) " + t + "[" + len + " - 1] = 0;");
    else if (read <= e.type.size)
      line(t + "[" + std::to_string(read - 1) + "] = 0;");
    return {t, e.type.size};
  }
  std::string addr = int_expr(a);
  uint32_t n = e.type.size;
  std::string t = char_temp("s", round8(std::max(n, read)));
  // User pointers (syscall tracepoint fields, uprobe arguments) use the _user helper, known kernel
  // pointers the _kernel one; a bare integer of unknown origin (kprobe argN) uses the legacy helper,
  // which tries both on x86.
  const char *helper = "bpf_probe_read_str(";
  if (a.type.addr_space == AddrSpace::User ||
      (a.type.addr_space == AddrSpace::None && (cur_->kind == ProbeKind::Uprobe || cur_->kind == ProbeKind::Uretprobe)))
    helper = "bpf_probe_read_user_str(";
  else if (a.type.addr_space == AddrSpace::Kernel)
    helper = "bpf_probe_read_kernel_str(";
  line(std::string(helper) + t + ", (__u32)" + len + ", (const void *)(long)(" + addr + "));");
  return {t, n};
}

// buf(p, n): a u64 length, then the bytes (see BTC_T_BUF).
StrVal BpfEmitter::buf_call(const Expr &e) {
  const Expr &a = *e.args[0];
  uint32_t cap = e.type.size - 8;
  std::string t = char_temp("buf", round8(e.type.size)), n = tmp("n");
  bool literal = e.args.size() == 1 || e.args[1]->kind == ExprKind::Int;
  if (literal) {
    line("__u64 " + n + " = " + std::to_string(cap) + ";");
  } else {
    line("__u64 " + n + " = (__u64)(" + int_expr(*e.args[1]) + ");");
    line("if (" + n + " > " + std::to_string(cap) + ") " + n + " = " + std::to_string(cap) + ";");
  }
  if (a.type.stored_as_bytes() || a.type.kind == TypeKind::Array) {
    StrVal src = str_expr(a);
    line(mem_copy(t + " + 8", src.expr, std::min(cap, src.size)));
  } else if (cap > 0) {
    std::string addr = int_expr(a);
    line(read_helper(a.type, false) + t + " + 8, " + (literal ? std::to_string(cap) : "(__u32)" + n) +
         ", (const void *)(long)(" + addr + "));");
  }
  line("__builtin_memcpy(" + t + ", &" + n + ", 8);");
  return {t, e.type.size};
}

// ntop([af, ] addr): u64 address family, then 16 address bytes (see BTC_T_INET).
StrVal BpfEmitter::ntop_call(const Expr &e) {
  const Expr &a = *e.args.back();
  std::string t = tmp("inet"), af = tmp("af");
  std::string family = a.type.size == 16 && !a.type.is_int() ? "10" : "2";  // AF_INET6 : AF_INET
  if (e.args.size() == 2) family = int_expr(*e.args[0]);
  line("char " + t + "[24] = {};");
  line("__u64 " + af + " = (__u64)(" + family + ");");
  line("__builtin_memcpy(" + t + ", &" + af + ", 8);");
  if (a.type.is_int()) {
    std::string v = tmp("ip");
    line("__u32 " + v + " = (__u32)(" + int_expr(a) + ");");
    line("__builtin_memcpy(" + t + " + 8, &" + v + ", 4);");
  } else {
    StrVal src = str_expr(a);
    line("__builtin_memcpy(" + t + " + 8, " + src.expr + ", " + std::to_string(a.type.size) + ");");
  }
  return {t, 24};
}

// pton("addr"): the checker made sure the text is a valid address.
std::vector<unsigned char> BpfEmitter::pton_address(const Expr &e) {
  const std::string &text = e.args[0]->sval;
  std::vector<unsigned char> bytes(e.type.size);
  inet_pton(e.type.size == 16 ? AF_INET6 : AF_INET, text.c_str(), bytes.data());
  return bytes;
}

StrVal BpfEmitter::pton_bytes(const Expr &e) {
  std::string t = tmp("addr"), init;
  for (unsigned char b : pton_address(e)) init += (init.empty() ? "" : ", ") + std::to_string(b);
  line("char " + t + "[" + std::to_string(round8(e.type.size)) + "] = {" + init + "};");
  return {t, e.type.size};
}

// (uint32)pton("127.0.0.1"): the bytes read as a little-endian integer (x86).
std::string BpfEmitter::pton_as_int(const Expr &e) {
  uint64_t v = 0;
  auto bytes = pton_address(e);
  for (size_t i = 0; i < bytes.size() && i < 8; i++) v |= static_cast<uint64_t>(bytes[i]) << (8 * i);
  return "((__u64)" + std::to_string(v) + "ULL)";
}

// macaddr(p): 6 bytes (see BTC_T_MACADDR).
StrVal BpfEmitter::macaddr_call(const Expr &e) {
  const Expr &a = *e.args[0];
  std::string t = tmp("mac");
  line("char " + t + "[8] = {};");
  if (a.type.stored_as_bytes() || a.type.kind == TypeKind::Array) {
    StrVal src = str_expr(a);
    line("__builtin_memcpy(" + t + ", " + src.expr + ", 6);");
  } else {
    line(read_helper(a.type, false) + t + ", 6, (const void *)(long)(" + int_expr(a) + "));");
  }
  return {t, 6};
}

// join(argv[, sep]): each argv[i] string read straight into the event, until a NULL pointer.
void BpfEmitter::emit_join(const Expr &e) {
  size_t id = info_.printf_id.at(&e);
  const PrintfInfo &pf = info_.printfs[id];
  const Type &argv_type = e.args[0]->type;
  std::string argv = tmp("argv"), live = tmp("live");
  line("__u64 " + argv + " = (__u64)(" + int_expr(*e.args[0]) + ");");
  line("__u64 " + live + " = 1;");
  std::string st = "struct btc_printf_" + std::to_string(id);
  std::string ev = tmp("ev");
  line(st + " *" + ev + " = btc_reserve(sizeof(" + st + "), BTC_EV_PRINTF, " + std::to_string(id) + ");");
  open_scope("if (" + ev + ")");
  for (size_t i = 0; i < pf.args.size(); i++) {
    std::string slot = ev + "->a" + std::to_string(i);
    line(slot + "[0] = 0;");
    open_scope("if (" + live + ")");
    line("__u64 btc_arg = 0;");
    line(read_helper(argv_type, false) + "&btc_arg, 8, (const void *)(long)(" + argv + " + " + std::to_string(8 * i) +
         "));");
    line("if (!btc_arg) " + live + " = 0;");
    line("else " + read_helper(argv_type, true) + slot + ", " + std::to_string(pf.args[i].size) +
         ", (const void *)(long)btc_arg);");
    close_scope();
  }
  line("btc_submit(ctx, " + ev + ", sizeof(*" + ev + "));");
  close_scope();
}

}  // namespace btc::bpf_emitter_internal
