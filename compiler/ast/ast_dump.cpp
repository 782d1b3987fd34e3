#include "ast/ast_dump.h"

namespace btc::ast {

std::string quote(const std::string &s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (u < 0x20 || u >= 0x7f) {
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

namespace {

std::string type_ref(const std::string &t) { return "<" + t + ">"; }

// "(head a b c)" from a head and already-dumped items.
std::string list(const std::string &head, const std::vector<std::string> &items) {
  std::string s = "(" + head;
  for (const auto &item : items) s += " " + item;
  return s + ")";
}

std::vector<std::string> dump_all(const std::vector<ExprPtr> &exprs) {
  std::vector<std::string> out;
  for (const auto &e : exprs) out.push_back(e ? dump(*e) : "null");
  return out;
}

std::vector<std::string> dump_all(const std::vector<StmtPtr> &stmts) {
  std::vector<std::string> out;
  for (const auto &s : stmts) out.push_back(s ? dump(*s) : "null");
  return out;
}

std::string arg(const Expr &e, size_t i) { return i < e.args.size() && e.args[i] ? dump(*e.args[i]) : "null"; }

}  // namespace

std::string dump(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Int:
      return e.is_unsigned_literal ? std::to_string(e.uval) : std::to_string(e.ival);
    case ExprKind::String:
      return quote(e.sval);
    case ExprKind::Bool:
      return e.ival ? "true" : "false";
    case ExprKind::Var:
      return e.name;
    case ExprKind::Map:
      return e.args.empty() ? e.name : list(e.name, dump_all(e.args));
    case ExprKind::Builtin:
      return e.name;
    case ExprKind::Positional:
      return "$" + std::to_string(e.ival);
    case ExprKind::ParamCount:
      return "$#";
    case ExprKind::Call: {
      if (e.name == "offsetof")
        return list("offsetof", {e.cast_type.empty() ? arg(e, 0) : type_ref(e.cast_type), e.sval});
      std::vector<std::string> items = dump_all(e.args);
      if (!e.cast_type.empty()) items.insert(items.begin(), type_ref(e.cast_type));  // typeof(T)
      items.insert(items.begin(), e.name);
      return list("call", items);
    }
    case ExprKind::Unary:
      return list(e.op, {arg(e, 0)});
    case ExprKind::IncDec:
      return list((e.is_prefix ? "pre" : "post") + e.op, {arg(e, 0)});
    case ExprKind::Binary:
      return list(e.op, {arg(e, 0), arg(e, 1)});
    case ExprKind::Ternary:
      return list("?", {arg(e, 0), arg(e, 1), arg(e, 2)});
    case ExprKind::Field:
      return list(e.is_arrow ? "->" : ".", {arg(e, 0), e.name});
    case ExprKind::Index:
      return list("[]", {arg(e, 0), arg(e, 1)});
    case ExprKind::TupleIndex:
      return list(".", {arg(e, 0), std::to_string(e.ival)});
    case ExprKind::Tuple:
      return list("tuple", dump_all(e.args));
    case ExprKind::Record: {
      std::vector<std::string> items;
      for (size_t i = 0; i < e.args.size(); i++) items.push_back(list("=", {e.fields[i], arg(e, i)}));
      return list("record", items);
    }
    case ExprKind::Cast:
      return list("cast", {type_ref(e.cast_type), arg(e, 0)});
    case ExprKind::Sizeof:
      return list("sizeof", {e.cast_type.empty() ? arg(e, 0) : type_ref(e.cast_type)});
    case ExprKind::Block: {
      std::vector<std::string> items = dump_all(e.body);
      items.push_back(e.args.empty() ? "(novalue)" : list("value", {arg(e, 0)}));
      return list("blockexpr", items);
    }
  }
  return "?";
}

std::string dump(const Stmt &s) {
  auto with_body = [&](std::vector<std::string> head_items, const std::string &head) {
    for (auto &b : dump_all(s.body)) head_items.push_back(std::move(b));
    return list(head, head_items);
  };
  switch (s.kind) {
    case StmtKind::Expr:
      return s.expr ? dump(*s.expr) : "null";
    case StmtKind::Assign:
      return list(s.op, {s.lhs ? dump(*s.lhs) : "null", s.expr ? dump(*s.expr) : "null"});
    case StmtKind::Let: {
      std::vector<std::string> items{s.name};
      if (!s.decl_type.empty()) items.push_back(type_ref(s.decl_type));
      if (s.decl_typeof) items.push_back(list("typeof", {dump(*s.decl_typeof)}));
      if (s.expr) items.push_back(dump(*s.expr));
      return list("let", items);
    }
    case StmtKind::If: {
      std::vector<std::string> items{s.expr ? dump(*s.expr) : "null", list("then", dump_all(s.body))};
      if (s.has_else) items.push_back(list("else", dump_all(s.else_body)));
      return list("if", items);
    }
    case StmtKind::While:
      return with_body({s.expr ? dump(*s.expr) : "null"}, "while");
    case StmtKind::Unroll:
      return with_body({s.expr ? dump(*s.expr) : std::to_string(s.count)}, "unroll");
    case StmtKind::For: {
      std::string over =
          s.iter
              ? dump(*s.iter)
              : list("..", {s.range_begin ? dump(*s.range_begin) : "null", s.range_end ? dump(*s.range_end) : "null"});
      return with_body({s.name, over}, "for");
    }
    case StmtKind::Break:
      return "(break)";
    case StmtKind::Continue:
      return "(continue)";
    case StmtKind::Return:
      return s.expr ? list("return", {dump(*s.expr)}) : "(return)";
    case StmtKind::Block:
      return with_body({}, "block");
  }
  return "?";
}

std::string dump(const AttachPoint &ap) {
  std::string s = "provider=" + ap.provider + " target=" + ap.target + " func=" + ap.func;
  if (ap.has_offset) s += " offset=" + std::to_string(ap.offset);
  s += " parts=[";
  for (size_t i = 0; i < ap.parts.size(); i++) s += (i ? "," : "") + ap.parts[i];
  return s + "]";
}

std::string dump(const Probe &p) {
  std::string aps = "(";
  for (size_t i = 0; i < p.attach_points.size(); i++) aps += (i ? " " : "") + p.attach_points[i].raw;
  std::vector<std::string> items{aps + ")"};
  if (p.predicate) items.push_back(list("pred", {dump(*p.predicate)}));
  for (auto &b : dump_all(p.body)) items.push_back(std::move(b));
  return list("probe", items);
}

std::string dump(const Macro &m) {
  std::vector<std::string> params;
  for (const auto &p : m.params) params.push_back(p.name);
  return list("macro", {m.name, list("params", params), m.body ? dump(*m.body) : "null"});
}

std::string dump(const Program &p) {
  std::string out;
  if (!p.leading_comment.empty()) out += list("comment", {quote(p.leading_comment)}) + "\n";
  for (const auto &c : p.c_definitions) out += list("c", {quote(c)}) + "\n";
  if (!p.config.empty()) {
    std::vector<std::string> items;
    for (const auto &item : p.config) items.push_back(list(item.key, {quote(item.value)}));
    out += list("config", items) + "\n";
  }
  for (const auto &i : p.imports) out += list("import", {quote(i.path)}) + "\n";
  for (const auto &m : p.map_decls) out += list("map-decl", {m.name, m.map_type, std::to_string(m.max_entries)}) + "\n";
  for (const auto &m : p.macros) out += dump(m) + "\n";
  for (const auto &probe : p.probes) out += dump(probe) + "\n";
  return out;
}

}  // namespace btc::ast
