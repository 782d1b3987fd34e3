#include "check/soft_delete.h"

#include <map>
#include <set>

#include "ast/ast_walk.h"

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

// Visits every statement and expression of the probes (ast/ast_walk.h); a map node is looked at
// where it is used, and its keys are walked as ordinary expressions.
class UseScan {
 public:
  explicit UseScan(MapUses &uses) : uses_(uses) {
    visitor_.stmt = [this](const Stmt &s) { return stmt(s); };
    visitor_.expr = [this](const Expr &e) { return expr(e); };
  }

  const ast::Visitor &visitor() const { return visitor_; }

 private:
  ast::Walk stmt(const Stmt &s) {
    if (s.kind == StmtKind::Assign && s.lhs && s.lhs->kind == ExprKind::Map) {
      // `@m[k] = v` is covered; `op=` and aggregates (count(), hist(), ...) are not.
      bool plain_store = s.op == "=" && s.expr && !s.expr->type.is_aggregate();
      if (!plain_store) uses_.excluded.insert(s.lhs->name);
    }
    if (s.iter && s.iter->kind == ExprKind::Map) uses_.excluded.insert(s.iter->name);  // for ($kv : @m): every entry
    return ast::Walk::Children;
  }

  ast::Walk expr(const Expr &e) {
    if (e.kind == ExprKind::Map) {
      // A keyed read or store is covered; a whole map anywhere but print()/clear() is not.
      if (e.args.empty()) uses_.excluded.insert(e.name);
      return ast::Walk::Children;  // the keys
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
      keys_and_rest(e);
      return ast::Walk::SkipChildren;
    }
    // ++/-- and & of a map value change or expose it in place: not covered.
    if ((e.kind == ExprKind::IncDec || (e.kind == ExprKind::Unary && e.op == "&")) && !e.args.empty() &&
        e.args[0]->kind == ExprKind::Map) {
      uses_.excluded.insert(e.args[0]->name);
      keys_and_rest(e);
      return ast::Walk::SkipChildren;
    }
    return ast::Walk::Children;
  }

  // The children of e, whose first argument is a map already accounted for: its keys only.
  void keys_and_rest(const Expr &e) {
    ast::walk_children(*e.args[0], visitor_);
    for (size_t i = 1; i < e.args.size(); i++)
      if (e.args[i]) ast::walk(*e.args[i], visitor_);
  }

  MapUses &uses_;
  ast::Visitor visitor_;
};

}  // namespace

void choose_soft_delete_maps(const ast::Program &program, std::vector<MapInfo> &maps) {
  MapUses uses;
  UseScan scan(uses);
  for (const auto &p : program.probes) ast::walk(p, scan.visitor());
  for (MapInfo &m : maps)
    m.soft_delete = !m.keys.empty() && m.value.kind == TypeKind::Int && m.value.size <= 8 && !m.lru &&
                    uses.deleted.count(m.name) && !uses.excluded.count(m.name);
}

}  // namespace btc
