// Checking functions whose values the runtime formats: buf, ntop, pton, macaddr, cgroup_path, join.
#include "check/checker_impl.h"

namespace btc::checker_internal {

// pton()'s byte array is a compile-time constant that cannot be stored yet.
bool Checker::refuse_pton_value(const Expr &e) {
  if (!is_pton(e)) return false;
  error(DiagKind::Type, e.range, "a pton() value can only be passed to ntop() or buf(), or cast to an integer");
  return true;
}

// buf(p, n) / buf(array): up to n bytes (n capped at max_strlen) read from address p, or taken
// from a string or array value. Stored as a u64 length and then the bytes.
void Checker::check_buf(Expr &e) {
  if (!arity(e, 1, 2)) return;
  Expr &a = *e.args[0];
  check_expr(a);
  if (a.type.is_none()) return;
  bool array = a.type.kind == TypeKind::Array || is_pton(a);
  if (!a.type.is_int() && a.type.kind != TypeKind::Pointer && !a.type.is_string() && !array) {
    error(DiagKind::Type, a.range, "buf() expects an integer, string, or array argument but saw " + to_string(a.type));
    return;
  }
  uint32_t capacity = str_size_;
  if (e.args.size() == 1) {
    if (!array) {
      error(DiagKind::Type, e.range, "buf() expects a length argument for non-array type " + to_string(a.type));
      return;
    }
    capacity = a.type.size;
  } else {
    Expr &n = *e.args[1];
    check_expr(n);
    if (n.type.is_none()) return;
    if (!n.type.is_int()) {
      error(DiagKind::Type, n.range, "buf() length must be an integer, not " + to_string(n.type));
      return;
    }
    if (is_negative_literal(n)) {
      error(DiagKind::Semantic, n.range, "buf() cannot use a negative length");
      return;
    }
    if (n.kind == ExprKind::Int) capacity = static_cast<uint32_t>(std::min<int64_t>(n.ival, str_size_));
    if ((a.type.is_string() || array) && capacity > a.type.size) capacity = a.type.size;
  }
  e.type.kind = TypeKind::Buffer;
  e.type.size = 8 + capacity;
}

// ntop([af, ] addr): an IPv4 address from an integer or 4 bytes, IPv6 from 16 bytes.
void Checker::check_ntop(Expr &e) {
  if (!arity(e, 1, 2)) return;
  for (auto &a : e.args) check_expr(*a);
  for (auto &a : e.args)
    if (a->type.is_none()) return;
  if (e.args.size() == 2 && !e.args[0]->type.is_int()) {
    error(DiagKind::Type, e.args[0]->range,
          "ntop() address family must be an integer, not " + to_string(e.args[0]->type));
    return;
  }
  const Expr &addr = *e.args.back();
  const Type &t = addr.type;
  bool bytes = t.is_string() || t.kind == TypeKind::Array;
  if (!t.is_int() && !bytes) {
    error(DiagKind::Type, addr.range, "ntop() expects an integer or array argument, got " + to_string(t));
    return;
  }
  if (bytes && t.size != 4 && t.size != 16) {
    error(DiagKind::Type, addr.range, "ntop() argument must be 4 or 16 bytes in size");
    return;
  }
  e.type.kind = TypeKind::Inet;
  e.type.size = 24;
}

// pton("addr"): the address bytes (network order), resolved here: uint8[4] or uint8[16].
void Checker::check_pton(Expr &e) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  if (a.kind != ExprKind::String) {
    error(DiagKind::Type, a.range, "pton() expects a string literal argument");
    return;
  }
  unsigned char bytes[16];
  bool v6 = a.sval.find(':') != std::string::npos;
  bool dotted = a.sval.find('.') != std::string::npos;
  if ((!v6 && !dotted) || inet_pton(v6 ? AF_INET6 : AF_INET, a.sval.c_str(), bytes) != 1) {
    error(DiagKind::Semantic, a.range, "pton() expects a valid IPv4 or IPv6 address, got \"" + a.sval + "\"");
    return;
  }
  e.type.kind = TypeKind::Array;
  e.type.count = v6 ? 16 : 4;
  e.type.size = e.type.count;
  e.type.inner = {Type::integer(1, false)};
}

// macaddr(p): 6 bytes read from address p or taken from an array of at least 6 bytes.
void Checker::check_macaddr(Expr &e) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  if (a.kind == ExprKind::String) {
    error(DiagKind::Type, a.range, "macaddr() does not support literal string arguments");
    return;
  }
  check_expr(a);
  if (a.type.is_none()) return;
  bool bytes = a.type.is_string() || a.type.kind == TypeKind::Array;
  if (!a.type.is_int() && a.type.kind != TypeKind::Pointer && !bytes) {
    error(DiagKind::Type, a.range,
          "macaddr() only supports array or pointer arguments (" + to_string(a.type) + " provided)");
    return;
  }
  if (bytes && a.type.size < 6) {
    error(DiagKind::Type, a.range, "macaddr() argument must be at least 6 bytes in size");
    return;
  }
  e.type.kind = TypeKind::MacAddr;
  e.type.size = 6;
}

// cgroup_path(id[, "filter"]): the runtime finds the cgroup's path in the mounted hierarchies
// whose names match the filter (default "*").
void Checker::check_cgroup_path(Expr &e) {
  if (!arity(e, 1, 2)) return;
  check_expr(*e.args[0]);
  const Type &t = e.args[0]->type;
  if (t.is_none()) return;
  if (!t.is_int()) {
    error(DiagKind::Type, e.args[0]->range, "cgroup_path() expects an integer cgroup id, not " + to_string(t));
    return;
  }
  if (e.args.size() == 2 && e.args[1]->kind != ExprKind::String) {
    error(DiagKind::Type, e.args[1]->range, "cgroup_path() filter must be a string literal");
    return;
  }
  e.type.kind = TypeKind::CgroupPath;
  e.type.size = 8;
  e.type.name = e.args.size() == 2 ? e.args[1]->sval : "*";
}

// join(argv[, sep]): the strings of a NULL-terminated array of user pointers, printed with sep
// (default " ") between them; a printf-table entry of severity BTC_SEV_JOIN whose format is sep.
void Checker::check_join(Expr &e, bool statement) {
  if (!arity(e, 1, 2)) return;
  check_expr(*e.args[0]);
  const Type &t = e.args[0]->type;
  if (t.is_none()) return;
  if (!t.is_int() && t.kind != TypeKind::Pointer) {
    error(DiagKind::Type, e.args[0]->range,
          "join() only supports int or pointer arguments (" + to_string(t) + " provided)");
    return;
  }
  if (e.args.size() == 2 && e.args[1]->kind != ExprKind::String) {
    error(DiagKind::Type, e.args[1]->range, "join() separator must be a string literal");
    return;
  }
  if (!statement) {
    error(DiagKind::Semantic, e.range, "join() does not return a value");
    return;
  }
  e.type = Type::void_();
  if (quiet_ || info_->printf_id.count(&e)) return;
  PrintfInfo pi;
  pi.fmt = e.args.size() == 2 ? e.args[1]->sval : " ";
  pi.severity = BTC_SEV_JOIN;
  pi.range = e.range;
  pi.args.assign(kJoinArgs, Type::string(kJoinArgSize));
  info_->printf_id[&e] = info_->printfs.size();
  info_->printfs.push_back(std::move(pi));
}

}  // namespace btc::checker_internal
