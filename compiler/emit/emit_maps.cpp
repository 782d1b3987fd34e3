// Map updates, aggregates, keys and reads.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

// lhist()'s min (i = 0), max (1) or step (2): the literal, or positional parameter $N, which is a
// constant of .rodata that the verifier sees once the runtime has set it.
std::string BpfEmitter::lhist_arg(const Type &t, int i, int64_t literal) {
  if (!t.lhist_params[i]) return std::to_string(literal);
  return "btc_params.param_int[" + std::to_string(t.lhist_params[i] - 1) + "]";
}

void BpfEmitter::emit_aggregate(const Expr &lhs, const MapInfo &m, const Expr &call) {
  std::string val = call.args.empty() ? "" : tmp("x");
  if (!val.empty()) line("__s64 " + val + " = (__s64)(" + int_expr(*call.args[0]) + ");");
  std::string bucket, now, epoch;
  if (m.value.kind == TypeKind::Tseries) {  // the bucket of the current interval (abi.h)
    now = tmp("now"), epoch = tmp("epoch");
    line("__u64 " + now + " = bpf_ktime_get_boot_ns() + btc_params.tai_offset_ns;");
    line("__u64 " + epoch + " = " + now + " / " + std::to_string(m.value.tseries_interval) + "ULL;");
    bucket = epoch + " % " + std::to_string(m.value.tseries_count) + "ULL";
  } else if (m.value.kind == TypeKind::Hist)
    bucket = "btc_log2_bucket(" + val + ", " + std::to_string(m.value.hist_bits) + ")";
  else if (m.value.kind == TypeKind::Lhist)
    bucket = "btc_linear_bucket(" + val + ", " + lhist_arg(m.value, 0, m.value.lhist_min) + ", " +
             lhist_arg(m.value, 1, m.value.lhist_max) + ", " + lhist_arg(m.value, 2, m.value.lhist_step) + ")";
  if (hist_slots_.count(m.name)) {
    line("BTC_HIST_SLOT_ADD(&" + m.c_name + ", " + bucket + ", " + std::to_string(hist_slots_.at(m.name)) + ");");
    return;
  }
  std::string k = build_key(lhs, bucket.empty() ? nullptr : &bucket);
  std::string mp = "&" + m.c_name + ", " + map_id(m), kp = "&" + k;
  switch (m.value.kind) {
    case TypeKind::Count:
    case TypeKind::Hist:
    case TypeKind::Lhist:
      line("BTC_MAP_ADD(" + mp + ", " + kp + ", 1);");
      break;
    case TypeKind::Sum:
      line("BTC_MAP_ADD(" + mp + ", " + kp + ", " + val + ");");
      break;
    case TypeKind::Min:
      line("BTC_MAP_MINMAX(" + mp + ", " + kp + ", " + val + ", <);");
      break;
    case TypeKind::Max:
      line("BTC_MAP_MINMAX(" + mp + ", " + kp + ", " + val + ", >);");
      break;
    case TypeKind::Avg:
    case TypeKind::Stats:
      line("BTC_MAP_AVG(" + mp + ", " + kp + ", " + val + ");");
      break;
    case TypeKind::Tseries:
      line("BTC_MAP_TSERIES(" + mp + ", " + kp + ", " + val + ", " + now + ", " + epoch + ", " +
           std::to_string(m.value.tseries_agg) + ", " + (m.value.is_signed ? "1" : "0") + ");");
      break;
    default:
      break;
  }
}

// The id a failed update reports (BTC_EV_MAP_FULL): the map's index and the script line of the
// statement being emitted, for the runtime's warning.
std::string BpfEmitter::map_id(const MapInfo &m) const {
  uint64_t index = info_.map_index.at(m.name);
  uint64_t line = cur_line_ > 0 && cur_line_ < (1 << (32 - BTC_MAP_FULL_LINE_SHIFT)) ? cur_line_ : 0;
  if (index >= (1u << BTC_MAP_FULL_LINE_SHIFT)) line = 0;
  return std::to_string(index | line << BTC_MAP_FULL_LINE_SHIFT);
}

// bpf_map_update_elem(BPF_ANY) that reports a full map to the runtime.
std::string BpfEmitter::update(const MapInfo &m, const std::string &key, const std::string &val) const {
  return "btc_update_failed(ctx, bpf_map_update_elem(&" + m.c_name + ", &" + key + ", &" + val + ", BPF_ANY), " +
         map_id(m) + ");";
}

// Builds the key of map expression `m` in a fresh local and returns its name.
std::string BpfEmitter::build_key(const Expr &m, const std::string *bucket) {
  const MapInfo &mi = info_.map(m.name);
  std::string id = bucket ? "" : reuse_id(m);
  if (const Reuse *r = find_reuse(id, false)) return r->var;
  if (mi.keys.empty() && !bucket) {
    std::string k = tmp("key");
    if (!id.empty()) reuse_.push_back({m.name, id, k, scopes_.back(), false, ""});
    line("__u64 " + k + " = 0;");
    return k;
  }
  // Evaluate key expressions before the key is declared: they may need scratch space.
  // Tuple keys are flattened: @m[(a, b)] is @m[a, b]; a tuple inside one, or a record, is one key field.
  // `comm` is read straight into its key field (no copy).
  std::vector<Val> vals;
  std::vector<bool> comm;
  for (const auto &a : m.args) {
    if (a->type.kind == TypeKind::Tuple && a->type.fields.empty() && m.args.size() == 1) {
      for (const Val &el : elems(val_of(*a))) vals.push_back(evaluated(el)), comm.push_back(false);
    } else if (a->kind == ExprKind::Builtin && a->name == "comm") {
      vals.push_back(Val{}), comm.push_back(true);
    } else {
      vals.push_back(evaluated(val_of(*a))), comm.push_back(false);
    }
  }
  // Zeroing is only needed when some byte of the key might not be written: 8-byte integers and
  // comm (btc_current_comm() writes all 16 bytes of its field) write every byte of their fields.
  bool all_written = !bucket && vals.size() == mi.keys.size();
  for (size_t i = 0; i < mi.keys.size() && i < vals.size(); i++)
    all_written =
        all_written && (comm[i] ? round8(mi.keys[i].size) == 16 : mi.keys[i].is_int() && mi.keys[i].size == 8);
  uint32_t key_size = bucket ? 8 : 0;  // every field of the key struct fills 8-byte slots (emit_maps)
  for (const Type &kt : mi.keys)
    key_size += kt.stored_as_bytes() || kt.kind == TypeKind::Tuple         ? round8(kt.size)
                : kt.kind == TypeKind::Ustack || kt.kind == TypeKind::Usym ? 16
                                                                           : 8;
  // A big key is not zeroed as a whole either when its fields are strings and 8-byte integers:
  // storing a string zero-fills the rest of its field.
  if (big(key_size)) {
    bool strings_and_ints = !bucket && vals.size() == mi.keys.size();
    for (size_t i = 0; i < mi.keys.size() && i < vals.size(); i++)
      strings_and_ints =
          strings_and_ints && (comm[i] ? round8(mi.keys[i].size) == 16
                                       : mi.keys[i].is_string() || (mi.keys[i].is_int() && mi.keys[i].size == 8));
    all_written = all_written || strings_and_ints;
  }
  std::string k = struct_temp("key", "struct " + mi.c_name + "_key", key_size, !all_written);
  if (!id.empty()) reuse_.push_back({m.name, id, k, scopes_.back(), false, ""});
  for (size_t i = 0; i < mi.keys.size() && i < vals.size(); i++) {
    Type kt = mi.keys[i];
    if (kt.stored_as_bytes()) kt.size = round8(kt.size);
    if (comm[i])  // a 16-byte field at an 8-byte offset of the key
      line("btc_current_comm(" + k + ".k" + std::to_string(i) + ");");
    else
      store(k + ".k" + std::to_string(i), kt, vals[i]);
  }
  if (bucket) line(k + ".bucket = " + *bucket + ";");
  return k;
}

// The address of a map's value for the key in `m` (0 when there is none: reads from it give zeros).
std::string BpfEmitter::map_value_address(const Expr &m) {
  const MapInfo &mi = info_.map(m.name);
  std::string k = build_key(m, nullptr);
  std::string p = tmp("p");
  line("struct " + mi.c_name + "_val *" + p + " = bpf_map_lookup_elem(&" + mi.c_name + ", &" + k + ");");
  std::string a = tmp("a");
  line("__u64 " + a + " = 0;");
  // The asm keeps clang from folding `p ? p : 0` into p, which the verifier would refuse to offset.
  line("if (" + p + ") { " + a + " = (__u64)" + p + "->s; asm volatile(\"\" : \"+r\"(" + a + ")); }");
  return a;
}

std::string BpfEmitter::map_read(const Expr &e) {
  const MapInfo &m = info_.map(e.name);
  bool plain = !m.value.is_aggregate();
  std::string id = plain ? reuse_id(e) : "";
  if (const Reuse *r = find_reuse(id, true)) return r->var;
  std::string k = build_key(e, nullptr);
  if (map_is_percpu(m)) return percpu_value(m, "&" + k);
  std::string t = tmp();
  line("__s64 " + t + " = 0;");
  std::string p = tmp("p");
  line(map_value_ctype(m) + " *" + p + " = bpf_map_lookup_elem(&" + m.c_name + ", &" + k + ");");
  if (m.soft_delete)  // a dead entry reads as a missing one
    line("if (" + p + " && " + p + "->live) " + t + " = (__s64)" + p + "->v;");
  else
    line("if (" + p + ") " + t + " = " + (holds_user_address(m.value) ? p + "->v[0]" : "*" + p) + ";");
  if (!id.empty()) reuse_.push_back({m.name, id, t, scopes_.back(), true, m.soft_delete ? p : ""});
  return t;
}

// delete(@m[k]): 1 when the entry was there. On a live-word map the entry only turns dead, through
// the pointer of an earlier read of the same key in this probe when there is one.
std::string BpfEmitter::delete_entry(const Expr &m) {
  const MapInfo &mi = info_.map(m.name);
  std::string t = tmp();
  if (mi.soft_delete) {
    const Reuse *r = find_reuse(reuse_id(m), true);
    std::string p = r ? r->entry : tmp("p");
    if (!r) {
      std::string k = build_key(m, nullptr);
      line("struct btc_live_val *" + p + " = bpf_map_lookup_elem(&" + mi.c_name + ", &" + k + ");");
    }
    line("__s64 " + t + " = 0;");
    line("if (" + p + " && " + p + "->live) { " + p + "->live = 0; " + t + " = 1; }");
  } else {
    std::string k = build_key(m, nullptr);
    line("__s64 " + t + " = bpf_map_delete_elem(&" + mi.c_name + ", &" + k + ") == 0;");
  }
  forget_reads(m.name);
  return t;
}

// A count/sum/min/max/avg value read inside BPF: every CPU's slot combined.
std::string BpfEmitter::percpu_value(const MapInfo &m, const std::string &key_ptr) {
  std::string t = tmp();
  line("__s64 " + t + " = 0;");
  std::string mp = "&" + m.c_name;
  std::string c = tmp("cpu"), acc = tmp("n");
  line("__u64 " + acc + " = 0;");
  open_scope("for (__u32 " + c + " = 0; " + c + " < BTC_MAX_CPUS; " + c + "++)");
  if (m.value.kind == TypeKind::Count || m.value.kind == TypeKind::Sum) {
    line("__s64 *btc_q = bpf_map_lookup_percpu_elem(" + mp + ", " + key_ptr + ", " + c + ");");
    line("if (!btc_q) break;");
    line(t + " += *btc_q;");
  } else if (m.value.kind == TypeKind::Avg) {
    line("struct btc_avg *btc_q = bpf_map_lookup_percpu_elem(" + mp + ", " + key_ptr + ", " + c + ");");
    line("if (!btc_q) break;");
    line(t + " += btc_q->total; " + acc + " += btc_q->count;");
  } else {
    line("struct btc_minmax *btc_q = bpf_map_lookup_percpu_elem(" + mp + ", " + key_ptr + ", " + c + ");");
    line("if (!btc_q) break;");
    std::string cmp = m.value.kind == TypeKind::Min ? "<" : ">";
    line("if (btc_q->is_set && (!" + acc + " || btc_q->value " + cmp + " " + t + ")) { " + t + " = btc_q->value; " +
         acc + " = 1; }");
  }
  close_scope();
  if (m.value.kind == TypeKind::Avg) line(t + " = btc_sdiv(" + t + ", (__s64)" + acc + ");");  // 0 when empty
  return t;
}

}  // namespace btc::bpf_emitter_internal
