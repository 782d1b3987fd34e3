// Calls to the functions of imported .bpf.c files (ProgramInfo::extern_functions): the
// arguments must fit the parameters, as in bpftrace (integers are converted to the parameter's
// type, a pointer parameter takes any pointer); the call has the function's return type.
#include "check/checker_impl.h"

namespace btc::checker_internal {

void Checker::check_extern_call(Expr &e, bool statement) {
  const ProgramInfo::ExternFunction &f = info_->extern_functions.at(e.name);
  if (!f.unsupported.empty()) {
    error(DiagKind::Type, e.range, f.unsupported);
    return;
  }
  if (e.args.size() != f.params.size()) {
    error(DiagKind::Semantic, e.range,
          "Function `" + e.name + "` requires " + std::to_string(f.params.size()) + " arguments, got only " +
              std::to_string(e.args.size()));
    return;
  }
  bool ok = true;
  for (size_t i = 0; i < e.args.size(); i++) {
    Expr &a = *e.args[i];
    check_expr(a);
    if (a.type.is_none()) {
      ok = false;
      continue;
    }
    const Type &want = f.params[i];
    bool fits = want.kind == TypeKind::Pointer ? a.type.kind == TypeKind::Pointer
                                               : a.type.is_int() || a.type.kind == TypeKind::Bool;
    if (!fits) {
      std::string arg = f.param_names[i].empty() ? "" : " for argument `" + f.param_names[i] + "`";
      error(DiagKind::Type, a.range, "Expected " + to_string(want) + arg + " got " + to_string(a.type));
      ok = false;
    }
  }
  if (!ok) return;
  if (f.ret.kind == TypeKind::Void && !statement) {
    error(DiagKind::Semantic, e.range, e.name + "() does not return a value");
    return;
  }
  e.type = f.ret;
}

}  // namespace btc::checker_internal
