#include "check/soft_delete.h"

#include <map>
#include <set>

namespace btc {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

// What the walk learns about each map.
struct MapUses {
  std::set<std::string> deleted;   // delete(@m, k) somewhere
  std::set<std::string> excluded;  // some use that a live word does not cover
};

class UseScan {
 public:
  explicit UseScan(MapUses &uses) : uses_(uses) {}

  void stmt(const Stmt &s) {
    if (s.kind == StmtKind::Assign && s.lhs && s.lhs->kind == ExprKind::Map) {
      // `@m[k] = v` is covered; `op=` and aggregates (count(), hist(), ...) are not.
      bool plain_store = s.op == "=" && s.expr && !s.expr->type.is_aggregate();
      if (!plain_store || s.lhs->args.empty()) uses_.excluded.insert(s.lhs->name);
      keys(*s.lhs);
    } else if (s.lhs) {
      expr(*s.lhs);
    }
    if (s.iter) exclude_all(*s.iter);  // for ($kv : @m) walks every entry in BPF
    for (const Expr *e : {s.expr.get(), s.range_begin.get(), s.range_end.get(), s.decl_typeof.get()})
      if (e) expr(*e);
    for (const auto &b : s.body) stmt(*b);
    for (const auto &b : s.else_body) stmt(*b);
  }

  void expr(const Expr &e) {
    if (e.kind == ExprKind::Map) {
      // A keyed read is covered; a whole map anywhere but print()/clear() is not.
      if (e.args.empty()) uses_.excluded.insert(e.name);
      keys(e);
      return;
    }
    if (e.kind == ExprKind::Call && !e.args.empty() && e.args[0]->kind == ExprKind::Map) {
      const Expr &m = *e.args[0];
      bool whole = m.args.empty();
      if (e.name == "delete" && !whole)
        uses_.deleted.insert(m.name);
      else if (e.name == "find")  // sets its variable from the entry: not covered
        uses_.excluded.insert(m.name);
      else if (whole && e.name != "print" && e.name != "clear")
        uses_.excluded.insert(m.name);  // len(@m), zero(@m), ...
      // Otherwise: print(@m), clear(@m), has_key(@m, k), and reads such as print(@m[k]).
      keys(m);
      rest(e, 1);
      return;
    }
    // ++/-- and & of a map value change or expose it in place: not covered.
    if ((e.kind == ExprKind::IncDec || (e.kind == ExprKind::Unary && e.op == "&")) && !e.args.empty() &&
        e.args[0]->kind == ExprKind::Map) {
      uses_.excluded.insert(e.args[0]->name);
      keys(*e.args[0]);
      return;
    }
    rest(e, 0);
    for (const auto &b : e.body) stmt(*b);
  }

 private:
  void keys(const Expr &m) { rest(m, 0); }

  void rest(const Expr &e, size_t from) {
    for (size_t i = from; i < e.args.size(); i++)
      if (e.args[i]) expr(*e.args[i]);
  }

  void exclude_all(const Expr &e) {
    if (e.kind == ExprKind::Map) uses_.excluded.insert(e.name);
    expr(e);
  }

  MapUses &uses_;
};

}  // namespace

void choose_soft_delete_maps(const ast::Program &program, std::vector<MapInfo> &maps) {
  MapUses uses;
  UseScan scan(uses);
  for (const auto &p : program.probes) {
    if (p.predicate) scan.expr(*p.predicate);
    for (const auto &s : p.body) scan.stmt(*s);
  }
  for (MapInfo &m : maps)
    m.soft_delete = !m.keys.empty() && m.value.kind == TypeKind::Int && m.value.size <= 8 && !m.lru &&
                    uses.deleted.count(m.name) && !uses.excluded.count(m.name);
}

}  // namespace btc
