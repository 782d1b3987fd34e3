// Variables declared `let $b: buffer[N]` or `let $a: inet[N]`, with or without a value.
//
// The declaration fixes the variable's type, as in bpftrace: every value later assigned must be
// of the same kind and fit. A buf() value fits a buffer with room for at least its bytes (the
// length it carries tells how many are printed); an ntop() address only an inet of its own size.
// Without [N] (`let $b: buffer`) the first value assigned sizes the variable, as for `string`.
#include "check/checker_impl.h"
#include "types/type_spelling.h"

namespace btc::checker_internal {
namespace {

constexpr uint32_t kBufferHeader = 8;  // a buffer's size counts its u64 length first

bool fits_declared(const Type &decl, const Type &value) {
  if (value.kind != decl.kind) return false;
  return decl.kind == TypeKind::Buffer ? value.size <= decl.size : value.size == decl.size;
}

// buffer[] and inet[] as the declaration spells them; to_string() shows btc's sizes.
std::string sized_spelling(const Type &t) {
  if (t.kind == TypeKind::Inet) return "inet[" + std::to_string(t.size) + "]";
  return to_string(t);
}

}  // namespace

// The buffer or inet type `let $x: T` declares, or nullopt when T is not one (an array of them
// is an ordinary array). Nothing is reported here: parse_type() reports bad spellings.
std::optional<Type> Checker::declared_sized_var(const Stmt &s) {
  auto sp = split_type_spelling(s.decl_type);
  if (!sp || (sp->base != "buffer" && sp->base != "inet")) return std::nullopt;
  Type t = sized_base_type(sp->base, &sp->suffixes);
  if (!sp->suffixes.empty()) return std::nullopt;
  return t;
}

// let $x: buffer[N] [= value]; let $x: inet[N] [= value].
void Checker::declare_sized_var(const Stmt &s, const Type &decl) {
  bool sized = decl.kind == TypeKind::Buffer ? decl.size > kBufferHeader : decl.size > 0;
  if (!s.expr) {
    if (sized) {
      sized_vars_[s.name] = decl;
      declare_var(s.name, decl, s.range);
    } else if (auto t = assigned_type(s.name)) {
      declare_var(s.name, *t, s.range);  // sized by its assignments, like `let $x: string;`
    }
    return;
  }
  const Type &value = s.expr->type;
  if (value.kind != decl.kind || (sized && !fits_declared(decl, value))) {
    error(DiagKind::Type, s.range,
          "cannot assign a " + sized_spelling(value) + " to " + s.name + " of type " + s.decl_type);
    return;
  }
  if (sized) sized_vars_[s.name] = decl;
  declare_var(s.name, sized ? decl : value, s.range);
}

// `$x = value` for a variable declared buffer[N] or inet[N]: false when $x is not one.
bool Checker::assign_sized_var(Expr &lhs, const Expr &rhs, SourceRange r) {
  auto it = sized_vars_.find(lhs.name);
  if (it == sized_vars_.end()) return false;
  if (!fits_declared(it->second, rhs.type)) {
    error(DiagKind::Type, r,
          "cannot assign a " + sized_spelling(rhs.type) + " to " + lhs.name + " of type " + sized_spelling(it->second));
    return true;
  }
  declare_var(lhs.name, rhs.type, r);
  lhs.type = it->second;
  return true;
}

}  // namespace btc::checker_internal
