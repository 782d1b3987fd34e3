#include "expand/macro_expansion.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "ast/ast_clone.h"
#include "ast/builtin_names.h"
#include "expand/stdlib_macros.h"

namespace btc {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;
using ast::Macro;
using ast::MacroParamKind;
using ast::Stmt;
using ast::StmtKind;
using ast::StmtPtr;

// The call sites macro bodies were expanded at, for the SourceRange::expanded_from links of the
// copied nodes. They live as long as the process: diagnostics and the generated tables read them
// after the AST is gone.
const SourceRange *remember_call_site(const SourceRange &call) {
  static std::deque<SourceRange> call_sites;
  call_sites.push_back(call);
  return &call_sites.back();
}

void mark_expanded(Stmt &s, const SourceRange *call);

// Links every range of a freshly copied macro body to the call it is expanded at.
void mark_expanded(Expr &e, const SourceRange *call) {
  e.range.expanded_from = call;
  for (auto &a : e.args) mark_expanded(*a, call);
  for (auto &b : e.body) mark_expanded(*b, call);
}

void mark_expanded(Stmt &s, const SourceRange *call) {
  s.range.expanded_from = call;
  for (ExprPtr *p : {&s.expr, &s.lhs, &s.decl_typeof, &s.iter, &s.range_begin, &s.range_end})
    if (*p) mark_expanded(**p, call);
  for (auto &b : s.body) mark_expanded(*b, call);
  for (auto &b : s.else_body) mark_expanded(*b, call);
}

// What a call passes for one parameter, as far as choosing a definition is concerned.
enum class ArgKind { Var, Map, Other };

ArgKind arg_kind(const Expr &e) {
  if (e.kind == ExprKind::Var) return ArgKind::Var;
  if (e.kind == ExprKind::Map && e.args.empty()) return ArgKind::Map;
  return ArgKind::Other;
}

ArgKind param_as_arg(const ast::MacroParam &p) {
  return p.kind == MacroParamKind::Var ? ArgKind::Var : p.kind == MacroParamKind::Map ? ArgKind::Map : ArgKind::Other;
}

// The macros of a program by name; several definitions may share a name when their parameter
// kinds differ.
class Registry {
 public:
  struct Match {
    const Macro *exact = nullptr;
    std::vector<const Macro *> closest;  // when there is no exact match
  };

  void add(const Macro &m, Diagnostics &diags) {
    std::vector<ArgKind> kinds;
    for (const auto &p : m.params) kinds.push_back(param_as_arg(p));
    Match existing = lookup(m.name, kinds);
    if (existing.exact) {
      diags.error(DiagKind::Semantic, m.range, "Redefinition of macro: " + m.name);
      diags.note(existing.exact->range, "This is the original definition.");
      return;
    }
    if (!params_unique(m, diags)) return;
    macros_[m.name].push_back(&m);
  }

  bool has(const std::string &name) const { return macros_.count(name) > 0; }

  Match lookup(const std::string &name, const std::vector<ArgKind> &args) const {
    Match out;
    auto it = macros_.find(name);
    if (it == macros_.end()) return out;
    size_t best = SIZE_MAX;
    for (const Macro *m : it->second) {
      size_t d = distance(*m, args);
      if (d == 0) {
        out.exact = m;
        return out;
      }
      if (d < best) {
        best = d;
        out.closest.clear();
      }
      if (d == best) out.closest.push_back(m);
    }
    return out;
  }

 private:
  // 0 for a fit; a wrong argument count outweighs any number of wrong argument kinds.
  static size_t distance(const Macro &m, const std::vector<ArgKind> &args) {
    size_t d =
        1024 * static_cast<size_t>(std::labs(static_cast<long>(m.params.size()) - static_cast<long>(args.size())));
    for (size_t i = 0; i < m.params.size() && i < args.size(); i++) {
      ArgKind want = param_as_arg(m.params[i]);
      if (want != ArgKind::Other && want != args[i]) d++;
    }
    return d;
  }

  static bool params_unique(const Macro &m, Diagnostics &diags) {
    std::set<std::string> seen;
    for (const auto &p : m.params) {
      if (seen.insert(p.name).second) continue;
      const char *what = p.kind == MacroParamKind::Var ? "Variable" : p.kind == MacroParamKind::Map ? "Map" : "Ident";
      diags.error(DiagKind::Semantic, p.range,
                  std::string(what) + " for macro argument has already been used: " + p.name);
      return false;
    }
    return true;
  }

  std::map<std::string, std::vector<const Macro *>> macros_;
};

// Expands the macro uses inside one piece of code. At the top level (probe bodies) it only
// expands; inside a macro's copied body it also renames variables and maps (see the header).
class Expander {
 public:
  Expander(const Registry &registry, Diagnostics &diags, std::vector<const Macro *> &stack, bool in_macro)
      : registry_(registry), diags_(diags), stack_(stack), in_macro_(in_macro) {}

  void expand_stmts(std::vector<StmtPtr> &stmts) {
    for (auto &s : stmts) expand_stmt(*s);
  }

  void expand_expr(ExprPtr &p) {
    Expr &e = *p;
    switch (e.kind) {
      case ExprKind::Builtin:
        if (in_macro_) {
          auto it = passed_.find(e.name);
          if (it != passed_.end()) {
            // The argument was expanded at the call site, in the caller's names.
            SourceRange at = e.range;
            p = ast::clone(*it->second);
            if (p->kind == ExprKind::Block) p->range = at;
            return;
          }
        }
        return expand_use(p);
      case ExprKind::Call:
        substitute_type(e.cast_type);  // offsetof(T, f), typeof(T)
        if (e.name == "offsetof") substitute_field(e.sval);
        for (auto &a : e.args) expand_expr(a);
        return expand_use(p);
      case ExprKind::Cast:
        substitute_type(e.cast_type);
        for (auto &a : e.args) expand_expr(a);
        return;
      case ExprKind::Sizeof:
        if (const Expr *value = passed_value(e.cast_type)) {  // sizeof(x), x an expression: its type's size
          e.cast_type.clear();
          e.args.push_back(ast::clone(*value));
          return;
        }
        substitute_type(e.cast_type);
        for (auto &a : e.args) expand_expr(a);
        return;
      case ExprKind::Var:
        e.name = rename_var(e.name);
        return;
      case ExprKind::Map:
        rename_map(e);
        for (auto &a : e.args) expand_expr(a);
        return;
      case ExprKind::Block:
        expand_stmts(e.body);
        for (auto &a : e.args) expand_expr(a);
        return;
      default:
        for (auto &a : e.args) expand_expr(a);
        return;
    }
  }

  // Binds the parameters of `m` to the arguments of `call` (already expanded) and returns the
  // expanded copy of the body.
  ExprPtr instantiate(const Macro &m, Expr &call) {
    for (size_t i = 0; i < m.params.size(); i++) {
      const ast::MacroParam &param = m.params[i];
      ExprPtr &arg = call.args[i];
      switch (param.kind) {
        case MacroParamKind::Var:
          vars_[param.name] = arg->name;
          break;
        case MacroParamKind::Map:
          maps_[param.name] = arg->name;
          break;
        case MacroParamKind::Expr:
          if (arg->kind == ExprKind::Var || arg->kind == ExprKind::Map) {
            // Passed as a value: `{ $v }` cannot be assigned to.
            auto block = std::make_unique<Expr>();
            block->kind = ExprKind::Block;
            block->range = arg->range;
            block->args.push_back(std::move(arg));
            arg = std::move(block);
          }
          passed_[param.name] = arg.get();
          break;
      }
    }
    ExprPtr body = ast::clone(*m.body);
    mark_expanded(*body, remember_call_site(call.range));
    body->range = call.range;
    expand_expr(body);
    return body;
  }

 private:
  void expand_stmt(Stmt &s) {
    switch (s.kind) {
      case StmtKind::Expr:
      case StmtKind::Return:
        if (s.expr) expand_expr(s.expr);
        return;
      case StmtKind::Assign:
        if (s.lhs->kind == ExprKind::Var && in_macro_ && !vars_.count(s.lhs->name)) renamed_.insert(s.lhs->name);
        expand_expr(s.lhs);
        expand_expr(s.expr);
        return;
      case StmtKind::Let:
        if (in_macro_) {
          if (vars_.count(s.name)) {
            diags_.error(DiagKind::Semantic, s.range, "Variable declaration shadows macro arg " + s.name);
            return;
          }
          renamed_.insert(s.name);
          s.name = rename_var(s.name);
          if (const Expr *value = passed_value(s.decl_type)) {  // let $y: typeof(x), x an expression
            s.decl_type.clear();
            s.decl_typeof = ast::clone(*value);
          }
          substitute_type(s.decl_type);
        }
        if (s.expr) expand_expr(s.expr);
        return;
      case StmtKind::If:
      case StmtKind::While:
        expand_expr(s.expr);
        expand_stmts(s.body);
        expand_stmts(s.else_body);
        return;
      case StmtKind::For:
        if (s.iter) expand_expr(s.iter);
        if (s.range_begin) expand_expr(s.range_begin);
        if (s.range_end) expand_expr(s.range_end);
        s.name = rename_var(s.name);
        expand_stmts(s.body);
        return;
      case StmtKind::Unroll:
      case StmtKind::Block:
        expand_stmts(s.body);
        return;
      case StmtKind::Break:
      case StmtKind::Continue:
        return;
    }
  }

  // A type written in the body whose name is a parameter bound to `typeof(T)`: T in its place,
  // with the suffixes written after the name ("a *" with a = typeof(uint8) is "uint8 *").
  void substitute_type(std::string &type) const {
    if (!in_macro_ || type.empty()) return;
    size_t n = type.find_first_of(" [");
    auto it = passed_.find(type.substr(0, n));
    if (it == passed_.end()) return;
    const Expr &arg = *it->second;
    if (arg.kind != ExprKind::Call || arg.name != "typeof" || arg.cast_type.empty()) return;
    std::string suffix = n == std::string::npos ? "" : type.substr(n);
    if (!suffix.empty() && suffix[0] == ' ' && arg.cast_type.back() == '*') suffix.erase(0, 1);  // "T *" + " *"
    type = arg.cast_type + suffix;
  }

  // offsetof(T, member) in a body whose parameter `member` is bound to a bare name (an
  // identifier argument): that name is the field.
  void substitute_field(std::string &path) const {
    if (!in_macro_) return;
    size_t dot = path.find('.');
    auto it = passed_.find(path.substr(0, dot));
    if (it == passed_.end() || it->second->kind != ExprKind::Builtin) return;
    path = it->second->name + (dot == std::string::npos ? "" : path.substr(dot));
  }

  // The expression bound to parameter `name` when the body uses the bare name as a type
  // (`sizeof(x)`, `let $y: typeof(x)`) and the caller passed a value rather than typeof(T).
  const Expr *passed_value(const std::string &name) const {
    if (!in_macro_) return nullptr;
    auto it = passed_.find(name);
    if (it == passed_.end()) return nullptr;
    const Expr &arg = *it->second;
    if (arg.kind == ExprKind::Call && arg.name == "typeof")  // typeof(T): a type; typeof(expr): expr
      return arg.cast_type.empty() && arg.args.size() == 1 ? arg.args[0].get() : nullptr;
    return &arg;
  }

  std::string rename_var(const std::string &name) const {
    if (!in_macro_) return name;
    if (auto it = vars_.find(name); it != vars_.end()) return it->second;
    if (!renamed_.count(name)) return name;
    std::string base = "$$" + stack_.back()->name;
    if (stack_.size() != 1) base += "_" + std::to_string(stack_.size());
    return base + "_" + name.substr(1);
  }

  void rename_map(Expr &m) {
    if (!in_macro_) return;
    if (auto it = maps_.find(m.name); it != maps_.end()) {
      m.name = it->second;
      return;
    }
    diags_.error(DiagKind::Semantic, m.range,
                 "Unhygienic access to map: " + m.name + ". Maps must be passed into the macro as arguments.");
  }

  // `name(args)` or a bare `name`: a macro use when a macro of that name exists.
  void expand_use(ExprPtr &p) {
    Expr &e = *p;
    if (!registry_.has(e.name)) return;
    std::vector<ArgKind> kinds;
    if (e.kind == ExprKind::Call)
      for (const auto &a : e.args) kinds.push_back(arg_kind(*a));
    Registry::Match match = registry_.lookup(e.name, kinds);
    if (!match.exact) {
      if (!ast::macro_mismatch_falls_back(e.name)) report_mismatch(e, kinds, *match.closest.front());
      return;
    }
    const Macro &m = *match.exact;
    for (size_t i = 0; i < stack_.size(); i++) {
      if (stack_[i] != &m) continue;
      std::string chain;
      for (size_t j = i; j < stack_.size(); j++) chain += stack_[j]->name + " > ";
      diags_.error(DiagKind::Semantic, e.range, "Recursive macro call detected. Call chain: " + chain + m.name);
      return;
    }
    stack_.push_back(&m);
    Expander inner(registry_, diags_, stack_, /*in_macro=*/true);
    ExprPtr body = inner.instantiate(m, e);
    stack_.pop_back();
    p = std::move(body);
  }

  void report_mismatch(const Expr &e, const std::vector<ArgKind> &kinds, const Macro &closest) {
    diags_.error(DiagKind::Semantic, e.range,
                 "Call to " + e.name + "() has arguments that do not match any definition.");
    if (closest.params.size() != kinds.size()) {
      diags_.note(closest.range,
                  "The closest definition of " + closest.name + "() has a different number of arguments. Expected: " +
                      std::to_string(closest.params.size()) + " but got " + std::to_string(kinds.size()));
      return;
    }
    for (size_t i = 0; i < kinds.size(); i++) {
      const ast::MacroParam &param = closest.params[i];
      ArgKind want = param_as_arg(param);
      if (want == ArgKind::Other || want == kinds[i]) continue;
      std::string expects = want == ArgKind::Map ? "a map" : "a variable";
      std::string got = kinds[i] == ArgKind::Var ? "a variable" : kinds[i] == ArgKind::Map ? "a map" : "an expression";
      diags_.error(DiagKind::Semantic, e.args[i]->range,
                   "Mismatched arg. " + closest.name + "() expects " + expects + " for arg " + param.name +
                       " but got " + got + ".");
      diags_.note(param.range, "This is the argument in the closest definition.");
    }
  }

  const Registry &registry_;
  Diagnostics &diags_;
  std::vector<const Macro *> &stack_;
  bool in_macro_;
  std::unordered_map<std::string, std::string> vars_;     // $param -> the caller's variable
  std::unordered_map<std::string, std::string> maps_;     // @param -> the caller's map
  std::unordered_map<std::string, const Expr *> passed_;  // param -> the argument expression
  std::unordered_set<std::string> renamed_;               // variables the body assigns or declares
};

}  // namespace

bool expand_macros(ast::Program &program, Diagnostics &diags) {
  Registry registry;
  for (const auto &m : program.macros) registry.add(m, diags);
  std::set<std::string> own;  // the script's macros replace the standard library's of that name
  for (const auto &m : program.macros) own.insert(m.name);
  ast::Program stdlib = stdlib_macros(own);
  for (const auto &m : stdlib.macros) registry.add(m, diags);
  std::vector<const Macro *> stack;
  Expander top(registry, diags, stack, /*in_macro=*/false);
  for (auto &probe : program.probes) {
    if (probe.predicate) top.expand_expr(probe.predicate);
    top.expand_stmts(probe.body);
  }
  program.macros.clear();
  return !diags.has_errors();
}

}  // namespace btc
