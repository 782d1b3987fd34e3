// Compile-time introspection and assertions of bpftrace's standard library: the type predicates
// is_str/is_ptr/is_array/is_integer/is_unsigned_integer/is_literal, `comptime` expressions and
// `if comptime` (only the branch taken is checked and compiled), static_assert(), fail(),
// assert_str(), typeof(expr), default_str_length and `config` as a whole record.
//
// bpftrace writes most of these as macros over typeinfo() (src/stdlib/meta.bt); btc answers them
// directly from the checked type of the argument, which then is never evaluated: the call
// becomes a literal.
#include <linux/bpf.h>

#include <cstdio>
#include <cstring>

#include "check/checker_impl.h"

namespace btc::checker_internal {
namespace {

// A compile-time value: an integer (or bool) or a string.
struct Constant {
  bool is_string = false;
  bool is_bool = false;
  int64_t number = 0;
  std::string text;
};

Constant int_constant(int64_t v, bool is_bool = false) {
  Constant c;
  c.number = v;
  c.is_bool = is_bool;
  return c;
}

// The value of a checked expression made only of literals, if it has one.
std::optional<Constant> fold_constant(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Int:
      return int_constant(e.ival);
    case ExprKind::Bool:
      return int_constant(e.ival, true);
    case ExprKind::String: {
      Constant c;
      c.is_string = true;
      c.text = e.sval;
      return c;
    }
    case ExprKind::Sizeof:
      return e.type.is_none() ? std::nullopt : std::optional<Constant>(int_constant(e.ival));
    case ExprKind::Block:
      if (!e.body.empty() || e.args.empty()) return std::nullopt;
      return fold_constant(*e.args[0]);
    case ExprKind::Cast: {
      auto a = fold_constant(*e.args[0]);
      if (!a || a->is_string || !e.type.is_int()) return std::nullopt;
      if (e.type.kind == TypeKind::Bool) return int_constant(a->number != 0, true);
      if (e.type.size >= 8) return int_constant(a->number);
      uint64_t mask = (1ULL << (e.type.size * 8)) - 1, v = static_cast<uint64_t>(a->number) & mask;
      if (e.type.is_signed && (v >> (e.type.size * 8 - 1))) v |= ~mask;
      return int_constant(static_cast<int64_t>(v));
    }
    case ExprKind::Ternary: {
      auto c = fold_constant(*e.args[0]);
      if (!c || c->is_string) return std::nullopt;
      return fold_constant(*e.args[c->number ? 1 : 2]);
    }
    case ExprKind::Unary: {
      auto a = fold_constant(*e.args[0]);
      if (!a || a->is_string) return std::nullopt;
      if (e.op == "!") return int_constant(!a->number, true);
      if (e.op == "-") return int_constant(-a->number);
      if (e.op == "~") return int_constant(~a->number);
      return std::nullopt;
    }
    case ExprKind::Binary: {
      auto a = fold_constant(*e.args[0]), b = fold_constant(*e.args[1]);
      if (!a || !b || a->is_string != b->is_string) return std::nullopt;
      const std::string &op = e.op;
      if (a->is_string) {
        if (op == "==") return int_constant(a->text == b->text, true);
        if (op == "!=") return int_constant(a->text != b->text, true);
        return std::nullopt;
      }
      int64_t x = a->number, y = b->number;
      if (op == "==") return int_constant(x == y, true);
      if (op == "!=") return int_constant(x != y, true);
      if (op == "<") return int_constant(x < y, true);
      if (op == ">") return int_constant(x > y, true);
      if (op == "<=") return int_constant(x <= y, true);
      if (op == ">=") return int_constant(x >= y, true);
      if (op == "&&") return int_constant(x && y, true);
      if (op == "||") return int_constant(x || y, true);
      if (op == "+") return int_constant(x + y);
      if (op == "-") return int_constant(x - y);
      if (op == "*") return int_constant(x * y);
      if ((op == "/" || op == "%") && y != 0) return int_constant(op == "/" ? x / y : x % y);
      if (op == "&") return int_constant(x & y);
      if (op == "|") return int_constant(x | y);
      if (op == "^") return int_constant(x ^ y);
      if ((op == "<<" || op == ">>") && y >= 0 && y < 64) return int_constant(op == "<<" ? x << y : x >> y);
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

// Turns `e` into the literal `c` (typed by the caller's next check_expr).
void become_literal(Expr &e, const Constant &c) {
  e.args.clear();
  e.body.clear();
  e.fields.clear();
  e.name.clear();
  e.op.clear();
  e.cast_type.clear();
  e.text.clear();
  e.is_unsigned_literal = false;
  if (c.is_string) {
    e.kind = ExprKind::String;
    e.sval = c.text;
    return;
  }
  e.kind = c.is_bool ? ExprKind::Bool : ExprKind::Int;
  e.ival = c.number;
  e.uval = static_cast<uint64_t>(c.number);
  if (!c.is_bool) e.text = std::to_string(c.number);
}

// bpftrace's literals (ast::Expression::is_literal): integers, negative integers, strings and
// booleans, and tuples or records made only of them.
bool is_literal_expr(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Int:
    case ExprKind::String:
    case ExprKind::Bool:
      return true;
    case ExprKind::Unary:
      return e.op == "-" && e.args[0]->kind == ExprKind::Int;
    case ExprKind::Tuple:
    case ExprKind::Record:
      return std::all_of(e.args.begin(), e.args.end(), [](const ast::ExprPtr &a) { return is_literal_expr(*a); });
    default:
      return false;
  }
}

// int8 (char): the element a string-like array or pointer must have.
bool is_char(const Type &t) { return t.kind == TypeKind::Int && t.size == 1 && t.is_signed; }

// One printf conversion of fail()'s message, as bpftrace's FormatString formats a literal.
std::string format_one(const std::string &spec, const Constant &arg) {
  char conv = spec.back();
  if (conv == 's') return arg.is_string ? arg.text : std::to_string(arg.number);
  if (arg.is_string) return arg.text;
  std::string flags = spec.substr(0, spec.size() - 1);
  flags.erase(std::remove_if(flags.begin(), flags.end(), [](char c) { return c == 'l' || c == 'h' || c == 'z'; }),
              flags.end());
  char buf[128];
  std::string f = flags + (conv == 'c' ? "c" : std::string("ll") + (conv == 'i' ? 'd' : conv));
  if (conv == 'c')
    snprintf(buf, sizeof buf, f.c_str(), static_cast<int>(arg.number));
  else
    snprintf(buf, sizeof buf, f.c_str(), static_cast<long long>(arg.number));
  return buf;
}

// fail("fmt", args...): the message with each conversion replaced by its argument.
std::string format_message(const std::string &fmt, const std::vector<Constant> &args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < fmt.size(); i++) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '%') {
      out += '%';
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < fmt.size() && strchr("-+ #0123456789.lhz", fmt[j])) j++;
    if (j == fmt.size() || next == args.size()) {
      out += fmt.substr(i, j - i + 1);
      i = j;
      continue;
    }
    out += format_one(fmt.substr(i, j - i + 1), args[next++]);
    i = j;
  }
  return out;
}

const std::set<std::string> kTypePredicates = {"is_str",    "is_ptr", "is_array", "is_integer", "is_unsigned_integer",
                                               "is_literal"};

}  // namespace

// Calls handled here; false for any other function.
bool Checker::check_introspection_call(Expr &e, bool statement) {
  const std::string &fn = e.name;
  if (kTypePredicates.count(fn)) return check_type_predicate(e), true;
  if (fn == "static_assert") return check_static_assert(e, statement), true;
  if (fn == "fail") return check_fail(e, statement), true;
  if (fn == "assert_str") return check_assert_str(e, statement), true;
  if (fn == "kfunc_exist" || fn == "kfunc_allowed") return check_kfunc_query(e), true;
  if (fn == "config" && e.args.empty()) return config_as_record(e), true;
  if (fn == "typeof") {
    error(DiagKind::Semantic, e.range,
          "typeof can only be used as a type: in a cast, a variable declaration (let $x: typeof(...)), sizeof, "
          "or as a macro argument");
    return true;
  }
  return false;
}

// is_str(x), is_ptr(x), ...: a bool literal from the type of x, which is not evaluated.
void Checker::check_type_predicate(Expr &e) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  check_expr(a);  // builtins known when compiling (probetype) become literals here
  const Type &t = a.type;
  if (t.is_none()) return;
  bool answer;
  if (e.name == "is_literal") {
    answer = is_literal_expr(a);
  } else {
    if (e.name == "is_str")
      answer = t.is_string();
    else if (e.name == "is_ptr")
      answer = t.kind == TypeKind::Pointer;
    else if (e.name == "is_array")
      answer = t.kind == TypeKind::Array;
    else if (e.name == "is_integer")
      answer = t.kind == TypeKind::Int;
    else
      answer = t.kind == TypeKind::Int && !t.is_signed;
  }
  become_literal(e, int_constant(answer, true));
  check_expr(e);
}

// comptime X: X folded to a literal now, or an error.
void Checker::check_comptime(Expr &e) {
  check_expr(*e.args[0]);
  if (e.args[0]->type.is_none()) return;
  auto c = fold_constant(*e.args[0]);
  if (!c) {
    error(DiagKind::Semantic, e.range, "Unable to resolve comptime expression");
    return;
  }
  become_literal(e, *c);
  check_expr(e);
}

// if comptime (c) { a } else { b }: becomes the block of the branch taken; the other one is
// neither checked nor compiled (a fail() there does not fire). False for any other statement.
bool Checker::prune_comptime_if(Stmt &s) {
  if (s.kind != StmtKind::If || s.expr->kind != ExprKind::Unary || s.expr->op != "comptime") return false;
  check_comptime(*s.expr);
  auto c = fold_constant(*s.expr);
  if (!c) return true;  // reported; neither branch is checked
  if (c->is_string) {
    error(DiagKind::Type, s.expr->range, "condition must be an integer or bool, not " + to_string(s.expr->type));
    return true;
  }
  if (!c->number) s.body = std::move(s.else_body);
  s.else_body.clear();
  s.has_else = false;
  s.expr.reset();
  s.kind = StmtKind::Block;
  check_stmt(s);
  return true;
}

// `if comptime (c) { a } else { b }` used as a value: the value of the branch taken.
bool Checker::prune_comptime_ternary(Expr &e, bool statement) {
  if (e.args[0]->kind != ExprKind::Unary || e.args[0]->op != "comptime") return false;
  check_comptime(*e.args[0]);
  auto c = fold_constant(*e.args[0]);
  if (!c) return true;
  if (c->is_string) {
    error(DiagKind::Type, e.args[0]->range, "condition must be an integer or bool, not " + to_string(e.args[0]->type));
    return true;
  }
  ast::ExprPtr taken = std::move(e.args[c->number ? 1 : 2]);
  e = std::move(*taken);
  check_expr(e, statement);
  return true;
}

// static_assert(cond, "msg"): cond must be known when compiling; false is an error at the call.
void Checker::check_static_assert(Expr &e, bool statement) {
  if (!arity(e, 2, 2)) return;
  Expr &cond = *e.args[0], &msg = *e.args[1];
  check_expr(cond);
  if (cond.type.is_none()) return;
  if (msg.kind != ExprKind::String) {
    error(DiagKind::Semantic, msg.range, "static_assert() needs the message as a string literal");
    return;
  }
  auto c = fold_constant(cond);
  if (!c || c->is_string) {
    error(DiagKind::Semantic, cond.range, "Unable to resolve comptime expression");
    return;
  }
  if (!c->number) {
    error(DiagKind::Semantic, e.range, msg.sval);
    return;
  }
  if (!statement) error(DiagKind::Semantic, e.range, "static_assert() does not return a value");
  e.type = Type::void_();
}

// fail("fmt", literals...): reaching it while checking is an error with the formatted message.
void Checker::check_fail(Expr &e, bool statement) {
  (void)statement;  // it never returns: checking stops here
  if (e.args.empty()) {
    error(DiagKind::Semantic, e.range, "first argument to fail() must be a string literal");
    return;
  }
  std::vector<Constant> args;
  bool valid = true;
  for (size_t i = 0; i < e.args.size(); i++) {
    Expr &a = *e.args[i];
    if (!is_literal_expr(a) || a.kind == ExprKind::Tuple || a.kind == ExprKind::Record) {
      error(DiagKind::Semantic, e.range, "fail() arguments need to be literals");
      valid = false;
      continue;
    }
    if (i == 0) {
      if (a.kind != ExprKind::String) {
        error(DiagKind::Semantic, e.range, "first argument to fail() must be a string literal");
        valid = false;
      }
      continue;
    }
    args.push_back(a.kind == ExprKind::Unary ? int_constant(-a.args[0]->ival) : *fold_constant(a));
  }
  if (valid) error(DiagKind::Semantic, e.range, format_message(e.args[0]->sval, args));
}

// assert_str(x): x must be string-like: a string, an array of int8 or a pointer to int8.
void Checker::check_assert_str(Expr &e, bool statement) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  check_expr(a);
  const Type &t = a.type;
  if (t.is_none()) return;
  if (t.kind == TypeKind::Array && (t.inner.empty() || !is_char(t.inner[0]))) {
    error(DiagKind::Semantic, e.range, "string-like arrays must contain a char-like type");
    return;
  }
  if (t.kind == TypeKind::Pointer && (t.inner.empty() || !is_char(t.inner[0]))) {
    error(DiagKind::Semantic, e.range, "string-like pointers must point to a char-like type");
    return;
  }
  if (!t.is_string() && t.kind != TypeKind::Array && t.kind != TypeKind::Pointer) {
    error(DiagKind::Semantic, e.range, "string-like values must be either strings, arrays or pointers");
    return;
  }
  if (!statement) error(DiagKind::Semantic, e.range, "assert_str() does not return a value");
  e.type = Type::void_();
}

// The type `typeof(x)` names: x's checked type (x itself is never evaluated).
std::optional<Type> Checker::typeof_type(Expr &x) {
  check_expr(x);
  if (x.type.is_none()) return std::nullopt;
  return x.type;
}

// default_str_length: the size str() gives a string read through a pointer (config max_strlen).
void Checker::check_default_str_length(Expr &e) {
  become_literal(e, int_constant(str_size_));
  check_expr(e);
}

// `config` / `config()` as a whole value: bpftrace's record of the settings, in its field order
// (src/ast/passes/builtins.cpp): booleans, integers, strings, then the enumerated settings.
void Checker::config_as_record(Expr &e) {
  static const char *const kFields[] = {
      "cpp_demangle",     "lazy_symbolication", "print_maps_on_exit", "use_blazesym",      "show_debug_info",
      "log_size",         "max_bpf_progs",      "max_cat_bytes",      "max_map_keys",      "max_probes",
      "max_strlen",       "on_stack_limit",     "perf_rb_pages",      "str_trunc_trailer", "unstable_import_statement",
      "unstable_tseries", "unstable_typeinfo",  "unstable_dw_ustack", "missing_probes",    "stack_mode",
      "license"};
  ast::ExprPtr record = std::make_unique<Expr>();
  record->kind = ExprKind::Record;
  record->range = e.range;
  for (const char *key : kFields) {
    auto v = config_value(info_->config, key);
    if (!v) continue;
    Constant c;
    if (v->kind == ConfigValue::String) {
      c.is_string = true;
      c.text = v->text;
    } else {
      c = int_constant(static_cast<int64_t>(v->number), v->kind == ConfigValue::Bool);
    }
    auto field = std::make_unique<Expr>();
    field->range = e.range;
    become_literal(*field, c);
    record->args.push_back(std::move(field));
    record->fields.push_back(key);
  }
  e = std::move(*record);
  check_expr(e);
}

// The program type bpftrace asks kfunc_allowed() about for a probe (progtype() of its
// attached_probe.cpp): BEGIN/END run as raw tracepoints there.
static uint32_t bpf_prog_type_of(ProbeKind k) {
  switch (k) {
    case ProbeKind::Kprobe:
    case ProbeKind::Kretprobe:
    case ProbeKind::Uprobe:
    case ProbeKind::Uretprobe:
    case ProbeKind::Usdt:
      return BPF_PROG_TYPE_KPROBE;
    case ProbeKind::Tracepoint:
      return BPF_PROG_TYPE_TRACEPOINT;
    case ProbeKind::Profile:
    case ProbeKind::Interval:
    case ProbeKind::Software:
    case ProbeKind::Hardware:
    case ProbeKind::Watchpoint:
      return BPF_PROG_TYPE_PERF_EVENT;
    case ProbeKind::Fentry:
    case ProbeKind::Fexit:
    case ProbeKind::Iter:
    case ProbeKind::Rawtp:
      return BPF_PROG_TYPE_TRACING;
    default:
      return BPF_PROG_TYPE_RAW_TRACEPOINT;
  }
}

// kfunc_exist("f"), kfunc_allowed("f"): a bool the tool's runtime answers on the machine it runs
// on (btc_kfunc_query in btc/abi.h), read from btc_params. bpftrace answers when compiling and
// prunes `if comptime` branches with it; here the answer is a run-time value, so a program that
// calls the kfunc under such a test still needs the kfunc to load. kfunc_allowed asks about the
// program type of the probe's first attach point, as bpftrace does.
void Checker::check_kfunc_query(Expr &e) {
  if (e.args.size() != 1 || e.args[0]->kind != ExprKind::String) {
    error(DiagKind::Semantic, e.range, e.name + "() accepts a string literal only");
    return;
  }
  std::pair<std::string, uint32_t> q{e.args[0]->sval, e.name == "kfunc_allowed" ? bpf_prog_type_of(cur_->kind) : 0};
  auto &queries = info_->kfunc_queries;
  size_t slot = std::find(queries.begin(), queries.end(), q) - queries.begin();
  if (slot == queries.size()) {
    if (queries.size() >= BTC_MAX_KFUNC_QUERIES) {
      error(DiagKind::Semantic, e.range,
            "too many kfunc_exist()/kfunc_allowed() questions (at most " + std::to_string(BTC_MAX_KFUNC_QUERIES) + ")");
      return;
    }
    queries.push_back(q);
  }
  e.kind = ExprKind::Builtin;
  e.name = "__btc_kfunc_answer";
  e.ival = static_cast<int64_t>(slot);
  e.args.clear();
  check_expr(e);
}

}  // namespace btc::checker_internal
