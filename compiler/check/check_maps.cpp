// Checking maps: keys, stored values, reads, aggregates, declarations.
#include "check/checker_impl.h"

namespace btc::checker_internal {

const Type *Checker::lookup_map_value(const Expr &m) {
  auto it = maps_.find(m.name);
  return it == maps_.end() ? nullptr : &it->second.value;
}

std::vector<Type> Checker::key_types(Expr &m) {
  std::vector<Type> keys;
  for (auto &k : m.args) {
    check_expr(*k);
    uprobe_args_as_value(*k);
    Type t = k->type;
    if (t.kind == TypeKind::Tuple && t.fields.empty() && m.args.size() == 1) {  // @m[(a, b)] is @m[a, b]
      for (const auto &el : t.inner) keys.push_back(key_type(el, *k));
      continue;
    }
    keys.push_back(key_type(t, *k));
  }
  join_map_keys(m, keys);
  return keys;
}

// A map key field: integers are stored as 64-bit values; a tuple inside a tuple key is one field.
Type Checker::key_type(Type t, const Expr &k) {
  if (t.is_int() && t.kind != TypeKind::Bool) t = widened_int(t);
  if (t.kind == TypeKind::Tuple) {
    for (const auto &el : t.inner)
      if (el.kind != TypeKind::Pointer) key_type(el, k);  // (a uprobe's `args` value holds pointers)
    return t;
  }
  if (t.is_composite() && !expand_value(t, k.range)) return Type::none();
  if (!t.is_none() && !t.is_int() && !t.is_string() && t.kind != TypeKind::Ksym && t.kind != TypeKind::Kstack &&
      t.kind != TypeKind::Ustack && t.kind != TypeKind::Usym && t.kind != TypeKind::Username && !t.stored_as_bytes() &&
      t.kind != TypeKind::CgroupPath && t.kind != TypeKind::Timestamp) {
    error(DiagKind::Type, k.range, "map key of type " + to_string(t) + " is not supported");
  }
  return t;
}

void Checker::assign_map(Expr &m, const Type &stored, SourceRange r) {
  std::vector<Type> keys = key_types(m);
  if (stored.kind == TypeKind::Void || stored.kind == TypeKind::Context) {
    error(DiagKind::Type, r, "cannot store a value of type " + to_string(stored) + " in map " + m.name);
    return;
  }
  Type value = stored;
  if (!expand_value(value, r)) return;
  auto it = maps_.find(m.name);
  if (it == maps_.end()) {
    MapInfo mi;
    mi.name = m.name;
    mi.keys = keys;
    mi.value = value;
    mi.first_use = m.range;
    mi.max_entries = info_->config.max_map_keys;
    maps_[m.name] = mi;
  } else {
    MapInfo &mi = it->second;
    check_keys(m, mi, keys);
    if (mi.value.kind == TypeKind::Tseries && value.kind == TypeKind::Tseries && !same_shape(mi.value, value)) {
      error(DiagKind::Type, r, "Different tseries bounds in a single map unsupported");
    } else if (!same_shape(mi.value, value)) {
      error(DiagKind::Type, r,
            "type mismatch for " + m.name + ": trying to assign " + to_string(value) + " to a map of type " +
                to_string(mi.value));
    } else if ((value.is_string() && mi.value.is_string()) || value.kind == TypeKind::Tuple) {
      widen_type(mi.value, value);
    } else if (value.stored_as_bytes() && mi.value.kind == value.kind) {
      mi.value.size = std::max(mi.value.size, value.size);
    }
  }
  m.type = maps_[m.name].value;
}

// A map's key types as bpftrace writes them: "int64", or "(int64,string[3])" for several.
std::string Checker::key_list(const std::vector<Type> &keys) {
  if (keys.size() == 1) return to_string(keys[0]);
  std::string text = "(";
  for (size_t i = 0; i < keys.size(); i++) text += (i ? "," : "") + to_string(keys[i]);
  return text + ")";
}

void Checker::check_keys(Expr &m, MapInfo &mi, const std::vector<Type> &keys) {
  if (keys.size() != mi.keys.size()) {
    error(DiagKind::Type, m.range,
          m.name + " used with " + std::to_string(keys.size()) + " key(s) here but " + std::to_string(mi.keys.size()) +
              " elsewhere");
    return;
  }
  for (size_t i = 0; i < keys.size(); i++) {
    if (keys[i].is_none()) continue;
    if (!same_shape(keys[i], mi.keys[i])) {
      error(DiagKind::Type, keys.size() == m.args.size() ? m.args[i]->range : m.range,
            "Argument mismatch for " + m.name + ": trying to access with arguments: '" + key_list(shown_keys(m, keys)) +
                "' when map expects arguments: '" + key_list(shown_map_keys(m.name, mi.keys)) + "'");
    } else if (keys[i].kind == TypeKind::Int && mi.keys[i].kind == TypeKind::Int) {
      if (auto j = map_key_join(m.name, i)) mi.keys[i].is_signed = j->is_signed;  // the join's (join_map_keys)
    } else if (keys[i].is_string() || keys[i].kind == TypeKind::Tuple) {
      widen_type(mi.keys[i], keys[i]);
    } else if (keys[i].stored_as_bytes()) {
      mi.keys[i].size = std::max(mi.keys[i].size, keys[i].size);
    }
  }
}

void Checker::check_map_read(Expr &e) {
  auto it = maps_.find(e.name);
  if (it == maps_.end()) {
    std::vector<std::string> names;
    for (auto &[n, m] : maps_) names.push_back(n);
    std::string hint = closest_match(e.name, names);
    error(DiagKind::Name, e.range, "undefined map " + e.name + (hint.empty() ? "" : ", did you mean " + hint + "?"));
    for (auto &k : e.args) check_expr(*k);
    return;
  }
  std::vector<Type> keys = key_types(e);
  check_keys(e, it->second, keys);
  const Type &v = it->second.value;
  switch (v.kind) {
    case TypeKind::Count:
    case TypeKind::Sum:
    case TypeKind::Min:
    case TypeKind::Max:
    case TypeKind::Avg:
      e.type = Type::integer(8, v.kind != TypeKind::Count);
      break;
    case TypeKind::Stats:
    case TypeKind::Hist:
    case TypeKind::Lhist:
    case TypeKind::Tseries:
      error(DiagKind::Type, e.range, "a " + to_string(v) + " map value cannot be used in an expression");
      break;
    default:
      e.type = v;
  }
}

// tseries(n, interval_ns, num_intervals[, agg]): the interval and count are literals, agg names
// how values of one interval combine (none: the last one wins).
void Checker::check_tseries_call(Expr &e) {
  if (!arity(e, 3, 4)) return;
  for (auto &a : e.args) check_expr(*a);
  if (!e.args[0]->type.is_none() && !e.args[0]->type.is_int()) {
    error(DiagKind::Type, e.args[0]->range, "tseries() needs an integer, not " + to_string(e.args[0]->type));
    return;
  }
  auto interval = literal_int(*e.args[1]), count = literal_int(*e.args[2]);
  if (e.args[1]->kind != ExprKind::Int || !interval) {
    error(DiagKind::Semantic, e.range, "tseries: invalid interval_ns value (must be non-negative literal)");
    return;
  }
  if (e.args[2]->kind != ExprKind::Int || !count) {
    error(DiagKind::Semantic, e.range, "tseries: invalid num_intervals value (must be non-negative literal)");
    return;
  }
  if (*interval <= 0) {
    error(DiagKind::Semantic, e.range,
          "tseries() interval_ns must be >= 1 (" + std::to_string(*interval) + " provided)");
    return;
  }
  if (*count <= 0 || *count > 1000000) {
    error(DiagKind::Semantic, e.range,
          std::string("tseries() num_intervals must be ") + (*count <= 0 ? ">= 1" : "< 1000000") + " (" +
              std::to_string(*count) + " provided)");
    return;
  }
  int agg = BTC_TSERIES_LAST;
  if (e.args.size() == 4) {
    static const std::map<std::string, int> kAggs = {
        {"avg", BTC_TSERIES_AVG}, {"max", BTC_TSERIES_MAX}, {"min", BTC_TSERIES_MIN}, {"sum", BTC_TSERIES_SUM}};
    const Expr &a = *e.args[3];
    auto it = a.kind == ExprKind::String ? kAggs.find(a.sval) : kAggs.end();
    if (it == kAggs.end()) {
      error(DiagKind::Semantic, e.range,
            "tseries() expects one of the following aggregation functions: avg, max, min, sum (\"" +
                (a.kind == ExprKind::String ? a.sval : std::string()) + "\" provided)");
      return;
    }
    agg = it->second;
  }
  Type t = Type::aggregate(TypeKind::Tseries);
  t.is_signed = e.args[0]->type.is_none() || e.args[0]->type.is_signed;
  t.tseries_interval = *interval;
  t.tseries_count = *count;
  t.tseries_agg = agg;
  e.type = t;
}

void Checker::check_aggregate_call(Expr &e) {
  TypeKind k = aggregate_kind(e.name);
  if (k == TypeKind::Tseries) return check_tseries_call(e);
  size_t want = k == TypeKind::Count ? 0 : k == TypeKind::Lhist ? 4 : 1;
  size_t max = k == TypeKind::Hist ? 2 : want;
  if (!arity(e, want, max)) return;
  for (auto &a : e.args) check_expr(*a);
  if (!e.args.empty() && !e.args[0]->type.is_none() && !e.args[0]->type.is_int()) {
    error(DiagKind::Type, e.args[0]->range, e.name + "() needs an integer, not " + to_string(e.args[0]->type));
    return;
  }
  Type t = Type::aggregate(k);
  if (k == TypeKind::Hist && e.args.size() == 2) {
    auto bits = const_int(*e.args[1]);
    if (!bits) return;
    if (*bits < 0 || *bits > 5) {
      error(DiagKind::Semantic, e.args[1]->range, "hist() bits must be between 0 and 5");
      return;
    }
    t.hist_bits = *bits;
  }
  if (k == TypeKind::Lhist && std::any_of(e.args.begin() + 1, e.args.end(),
                                          [](const ast::ExprPtr &a) { return a->kind == ExprKind::Positional; })) {
    // lhist(n, $1, $2, $3): the BPF code reads the parameters, and the runtime checks them
    // (step >= 1, min < max, at most 1000 buckets) when the tool starts.
    int64_t *values[3] = {&t.lhist_min, &t.lhist_max, &t.lhist_step};
    for (size_t i = 0; i < 3; i++) {
      Expr &a = *e.args[i + 1];
      if (a.kind == ExprKind::Positional) {
        t.lhist_params[i] = static_cast<uint32_t>(a.ival);
        continue;
      }
      auto v = literal_int(a);
      if (!v) {
        error(DiagKind::Semantic, a.range, "this argument must be an integer literal or a positional parameter");
        return;
      }
      *values[i] = *v;
    }
  } else if (k == TypeKind::Lhist) {
    auto mn = const_int(*e.args[1]), mx = const_int(*e.args[2]), st = const_int(*e.args[3]);
    if (!mn || !mx || !st) return;
    if (*st <= 0) {
      error(DiagKind::Semantic, e.args[3]->range, "lhist() step must be >= 1");
      return;
    }
    if (*mn >= *mx) {
      error(DiagKind::Semantic, e.range, "lhist() min must be less than max");
      return;
    }
    if ((*mx - *mn) / *st > 1000) {
      error(DiagKind::Semantic, e.range, "lhist() has too many buckets (max 1000)");
      return;
    }
    t.lhist_min = *mn;
    t.lhist_max = *mx;
    t.lhist_step = *st;
  }
  e.type = t;
}

void Checker::check_map_arg(Expr &e, const std::string &fn) {
  if (e.kind != ExprKind::Map || !e.args.empty()) {
    error(DiagKind::Semantic, e.range, fn + "() expects a map with no key, e.g. " + fn + "(@x)");
    return;
  }
  if (!maps_.count(e.name)) {
    error(DiagKind::Name, e.range, "undefined map " + e.name);
    return;
  }
  e.type = maps_[e.name].value;
}

// has_key() and len() need a map with keys; false (and an error) for a scalar map.
bool Checker::keyed_map(const Expr &m, const std::string &fn) {
  auto it = maps_.find(m.name);
  if (it == maps_.end() || !it->second.scalar()) return true;
  error(DiagKind::Semantic, m.range, "call to " + fn + "() expects a map with explicit keys (non-scalar map)");
  return false;
}

void Checker::check_map_read_for_delete(Expr &m) {
  auto it = maps_.find(m.name);
  if (it == maps_.end()) {
    error(DiagKind::Name, m.range, "undefined map " + m.name);
    return;
  }
  std::vector<Type> keys = key_types(m);
  check_keys(m, it->second, keys);
  m.type = it->second.value;
}

void Checker::finish_maps() {
  for (const auto &d : prog_.map_decls) {  // let @m = hash(N) / lruhash(N) / percpuhash(N)
    if (d.map_type != "hash" && d.map_type != "lruhash" && d.map_type != "percpuhash" &&
        d.map_type != "percpulruhash") {
      error(DiagKind::Semantic, d.range, "unknown map type '" + d.map_type + "' (hash, lruhash, percpuhash)");
      continue;
    }
    if (d.max_entries < 1) {
      error(DiagKind::Semantic, d.range, "map size must be at least 1");
      continue;
    }
    auto it = maps_.find(d.name);
    if (it == maps_.end()) {
      diags_.warning(DiagKind::Semantic, d.range, "Unused map: " + d.name);
      continue;
    }
    it->second.max_entries = static_cast<uint32_t>(d.max_entries);
    it->second.lru = d.map_type.find("lru") != std::string::npos;
  }
  for (auto &[name, mi] : maps_) {
    mi.c_name = name == "@" ? "m__anon" : "m_" + name.substr(1);
    info_->map_index[name] = info_->maps.size();
    info_->maps.push_back(mi);
  }
}

}  // namespace btc::checker_internal
