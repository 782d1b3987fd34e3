// Expressions (C precedence) and types as written in casts, sizeof, offsetof and `let $x: T`.
#include <algorithm>
#include <limits>
#include <string_view>

#include "ast/ast_clone.h"
#include "ast/builtin_names.h"
#include "parse/parser_impl.h"

namespace btc::parse_detail {

using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;

// Names that are values, never types: `(pid)` is a parenthesised builtin, not a cast.
bool is_builtin_name(const std::string &name) {
  if (ast::is_builtin_variable(name)) return true;
  if (name.starts_with("__builtin_")) return true;
  auto all_digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (name.starts_with("arg") && all_digits(std::string_view(name).substr(3))) return true;
  if (name.starts_with("sarg") && all_digits(std::string_view(name).substr(4))) return true;
  return false;
}

// After `(type)`: does an operand follow (so that this is a cast)?
bool can_start_expression(TokenKind kind) {
  switch (kind) {
    case TokenKind::Int:
    case TokenKind::String:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse:
    case TokenKind::Var:
    case TokenKind::Map:
    case TokenKind::Positional:
    case TokenKind::ParamCount:
    case TokenKind::Ident:
    case TokenKind::LParen:
    case TokenKind::Minus:
    case TokenKind::MinusMinus:
    case TokenKind::Not:
    case TokenKind::Tilde:
    case TokenKind::Star:
    case TokenKind::Amp:
    case TokenKind::KwSizeof:
    case TokenKind::KwOffsetof:
      return true;
    default:
      return false;
  }
}

namespace {

struct BinaryOp {
  TokenKind kind;
  int prec;
};

constexpr BinaryOp kBinaryOps[] = {
    {TokenKind::OrOr, 1},   {TokenKind::AndAnd, 2},   {TokenKind::Pipe, 3},  {TokenKind::Caret, 4},
    {TokenKind::Amp, 5},    {TokenKind::EqEq, 6},     {TokenKind::Ne, 6},    {TokenKind::Lt, 7},
    {TokenKind::Gt, 7},     {TokenKind::Le, 7},       {TokenKind::Ge, 7},    {TokenKind::Shl, 8},
    {TokenKind::Shr, 8},    {TokenKind::Plus, 9},     {TokenKind::Minus, 9}, {TokenKind::Star, 10},
    {TokenKind::Slash, 10}, {TokenKind::Percent, 10},
};

int binary_prec(TokenKind kind) {
  for (const BinaryOp &op : kBinaryOps)
    if (op.kind == kind) return op.prec;
  return 0;
}

bool is_var_or_map(const Expr &e) { return e.kind == ExprKind::Var || e.kind == ExprKind::Map; }

}  // namespace

ExprPtr Parser::node(ExprKind kind, SourceLoc begin, SourceLoc end) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->range = {begin, end};
  return e;
}

ExprPtr Parser::finish(ExprPtr e) {
  int depth = 1;
  for (const ExprPtr &child : e->args) {
    auto it = expr_depth_.find(child.get());
    if (it != expr_depth_.end()) depth = std::max(depth, it->second + 1);
  }
  if (depth > kMaxExprDepth) error_at(e->range, "expression nested too deeply");
  expr_depth_[e.get()] = depth;
  return e;
}

ExprPtr Parser::parse_expr() { return parse_ternary(); }

// cond ? a : b   (right associative)
ExprPtr Parser::parse_ternary() {
  NestingGuard guard(*this);
  auto cond = parse_binary(1);
  if (!check(TokenKind::Question)) return cond;
  advance();
  ExprPtr then_expr;
  if (check(TokenKind::Colon)) {  // a ?: b is a ? a : b (a is evaluated twice when true, as in bpftrace)
    advance();
    then_expr = ast::clone(*cond);
  } else {
    then_expr = parse_ternary();
    expect(TokenKind::Colon);
  }
  auto else_expr = parse_ternary();
  auto e = node(ExprKind::Ternary, cond->range.begin, else_expr->range.end);
  e->args.push_back(std::move(cond));
  e->args.push_back(std::move(then_expr));
  e->args.push_back(std::move(else_expr));
  return finish(std::move(e));
}

// Precedence climbing over the C binary operators.
ExprPtr Parser::parse_binary(int min_prec) {
  auto left = parse_unary();
  while (true) {
    int prec = binary_prec(tok().kind);
    if (prec == 0 || prec < min_prec) break;
    // "/ {" ends a predicate: `kprobe:f /arg0 > 1/ { ... }`
    if (check(TokenKind::Slash) && peek(1).kind == TokenKind::LBrace) break;
    std::string op = advance().text;
    auto right = parse_binary(prec + 1);
    auto e = node(ExprKind::Binary, left->range.begin, right->range.end);
    e->op = std::move(op);
    e->args.push_back(std::move(left));
    e->args.push_back(std::move(right));
    left = finish(std::move(e));
  }
  return left;
}

// ++x --x &x *x -x !x ~x, then postfix operators
ExprPtr Parser::parse_unary() {
  NestingGuard guard(*this);
  const Token &t = tok();
  switch (t.kind) {
    case TokenKind::PlusPlus:
    case TokenKind::MinusMinus: {
      advance();
      auto operand = parse_unary();
      if (!is_var_or_map(*operand)) error_at(operand->range, "increment/decrement requires a variable or map");
      auto e = node(ExprKind::IncDec, t.range.begin, operand->range.end);
      e->op = t.text;
      e->is_prefix = true;
      e->args.push_back(std::move(operand));
      return finish(std::move(e));
    }
    case TokenKind::Ident:
      // comptime X: X must be known when compiling (an `if comptime` keeps only the branch taken).
      if (t.text == "comptime" && can_start_expression(peek(1).kind)) {
        advance();
        auto operand = parse_unary();
        auto e = node(ExprKind::Unary, t.range.begin, operand->range.end);
        e->op = "comptime";
        e->args.push_back(std::move(operand));
        return finish(std::move(e));
      }
      return parse_postfix(parse_primary());
    case TokenKind::Amp:
    case TokenKind::Star:
    case TokenKind::Minus:
    case TokenKind::Not:
    case TokenKind::Tilde: {
      advance();
      auto operand = parse_unary();
      if (t.kind == TokenKind::Amp && !is_var_or_map(*operand))
        error_at(operand->range, "address-of operator (&) can only be used on a map or variable");
      auto e = node(ExprKind::Unary, t.range.begin, operand->range.end);
      e->op = t.text;
      e->args.push_back(std::move(operand));
      return finish(std::move(e));
    }
    default:
      return parse_postfix(parse_primary());
  }
}

// x.field  x->field  x.0  x[i]  x++  x--
ExprPtr Parser::parse_postfix(ExprPtr e) {
  while (true) {
    const Token &t = tok();
    if (t.kind == TokenKind::Dot || t.kind == TokenKind::Arrow) {
      advance();
      const Token &member = tok();
      if (t.kind == TokenKind::Dot && member.kind == TokenKind::Int) {
        bool plain = std::all_of(member.text.begin(), member.text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!plain || member.value > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()))
          error_at(member.range, "invalid tuple index '" + member.text + "'");
        advance();
        auto f = node(ExprKind::TupleIndex, e->range.begin, member.range.end);
        f->ival = static_cast<int64_t>(member.value);
        f->args.push_back(std::move(e));
        e = finish(std::move(f));
        continue;
      }
      if (!is_word(member)) unexpected("field name");
      advance();
      auto f = node(ExprKind::Field, e->range.begin, member.range.end);
      f->name = member.text;
      f->is_arrow = t.kind == TokenKind::Arrow;
      f->args.push_back(std::move(e));
      e = finish(std::move(f));
    } else if (t.kind == TokenKind::LBracket) {
      advance();
      auto index = parse_expr();
      SourceLoc end = expect(TokenKind::RBracket).range.end;
      auto f = node(ExprKind::Index, e->range.begin, end);
      f->args.push_back(std::move(e));
      f->args.push_back(std::move(index));
      e = finish(std::move(f));
    } else if (t.kind == TokenKind::PlusPlus || t.kind == TokenKind::MinusMinus) {
      if (!is_var_or_map(*e)) error_at(t.range, "increment/decrement requires a variable or map");
      advance();
      auto f = node(ExprKind::IncDec, e->range.begin, t.range.end);
      f->op = t.text;
      f->args.push_back(std::move(e));
      e = finish(std::move(f));
    } else {
      return e;
    }
  }
}

ExprPtr Parser::parse_primary() {
  const Token &t = tok();
  switch (t.kind) {
    case TokenKind::Int: {
      advance();
      auto e = node(ExprKind::Int, t.range.begin, t.range.end);
      e->uval = t.value;
      e->ival = static_cast<int64_t>(t.value);
      e->is_unsigned_literal = t.value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
      e->text = t.text;
      return finish(std::move(e));
    }
    case TokenKind::String: {
      advance();
      auto e = node(ExprKind::String, t.range.begin, t.range.end);
      e->sval = t.str;
      return finish(std::move(e));
    }
    case TokenKind::KwTrue:
    case TokenKind::KwFalse: {
      advance();
      auto e = node(ExprKind::Bool, t.range.begin, t.range.end);
      e->ival = t.kind == TokenKind::KwTrue;
      return finish(std::move(e));
    }
    case TokenKind::Var: {
      advance();
      auto e = node(ExprKind::Var, t.range.begin, t.range.end);
      e->name = t.text;
      return finish(std::move(e));
    }
    case TokenKind::Positional: {
      advance();
      auto e = node(ExprKind::Positional, t.range.begin, t.range.end);
      e->ival = static_cast<int64_t>(t.value);
      return finish(std::move(e));
    }
    case TokenKind::ParamCount:
      advance();
      return finish(node(ExprKind::ParamCount, t.range.begin, t.range.end));
    case TokenKind::Map:
      return parse_map();
    case TokenKind::Ident: {
      if (t.text == "typeof" && peek(1).kind == TokenKind::LParen) return parse_typeof();
      if (peek(1).kind == TokenKind::LParen) return parse_call();
      advance();
      auto e = node(ExprKind::Builtin, t.range.begin, t.range.end);
      e->name = t.text;
      return finish(std::move(e));
    }
    case TokenKind::KwSizeof:
      return parse_sizeof();
    case TokenKind::KwOffsetof:
      return parse_offsetof();
    case TokenKind::LParen:
      return parse_paren();
    case TokenKind::LBrace:
      return parse_block_expr();
    case TokenKind::KwIf:
      return parse_if_expr();
    default:
      unexpected("expression");
  }
}

// if cond { a } else { b }  as a value: a Ternary whose branches are Block expressions.
// Without `else` the value is a Block with no value (usable only as a statement).
ExprPtr Parser::parse_if_expr() {
  NestingGuard guard(*this);
  const Token &kw = advance();
  auto cond = parse_expr();
  if (!check(TokenKind::LBrace)) unexpected("'{'");
  auto then_expr = parse_block_expr();
  ExprPtr else_expr;
  if (accept(TokenKind::KwElse)) {
    if (check(TokenKind::KwIf))
      else_expr = parse_if_expr();
    else if (check(TokenKind::LBrace))
      else_expr = parse_block_expr();
    else
      unexpected("'{' or 'if'");
  } else {
    else_expr = node(ExprKind::Block, then_expr->range.end, then_expr->range.end);
  }
  auto e = node(ExprKind::Ternary, kw.range.begin, else_expr->range.end);
  e->args.push_back(std::move(cond));
  e->args.push_back(std::move(then_expr));
  e->args.push_back(std::move(else_expr));
  return finish(std::move(e));
}

// @name  @name[k1, k2]  @  @[k]
ExprPtr Parser::parse_map() {
  const Token &t = advance();
  auto e = node(ExprKind::Map, t.range.begin, t.range.end);
  e->name = t.text;
  if (accept(TokenKind::LBracket)) {
    do {
      e->args.push_back(parse_expr());
    } while (accept(TokenKind::Comma));
    e->range.end = expect(TokenKind::RBracket).range.end;
  }
  return finish(std::move(e));
}

// name(args)
ExprPtr Parser::parse_call() {
  const Token &name = advance();
  advance();  // '('
  auto e = node(ExprKind::Call, name.range.begin, name.range.end);
  e->name = name.text;
  if (!check(TokenKind::RParen)) {
    do {
      e->args.push_back(parse_expr());
    } while (accept(TokenKind::Comma));
  }
  e->range.end = expect(TokenKind::RParen).range.end;
  return finish(std::move(e));
}

// (expr)  (type)expr  (a, b)  (a,)  ()
ExprPtr Parser::parse_paren() {
  const Token &lparen = advance();
  if (check(TokenKind::RParen)) return finish(node(ExprKind::Tuple, lparen.range.begin, advance().range.end));
  if (check(TokenKind::Ident) && peek(1).kind == TokenKind::Assign) return parse_record(lparen);
  if (auto cast = try_parse_cast(lparen)) return cast;
  auto first = parse_expr();
  if (!accept(TokenKind::Comma)) {
    expect(TokenKind::RParen);
    return first;
  }
  auto e = node(ExprKind::Tuple, lparen.range.begin, lparen.range.end);
  e->args.push_back(std::move(first));
  while (!check(TokenKind::RParen)) {
    e->args.push_back(parse_expr());
    if (!accept(TokenKind::Comma)) break;
  }
  e->range.end = expect(TokenKind::RParen).range.end;
  return finish(std::move(e));
}

// (name=value, name=value, ...)  after the '('
ExprPtr Parser::parse_record(const Token &lparen) {
  auto e = node(ExprKind::Record, lparen.range.begin, lparen.range.end);
  while (!check(TokenKind::RParen)) {
    if (!check(TokenKind::Ident)) unexpected("field name");
    e->fields.push_back(advance().text);
    expect(TokenKind::Assign);
    e->args.push_back(parse_expr());
    if (!accept(TokenKind::Comma)) break;
  }
  e->range.end = expect(TokenKind::RParen).range.end;
  return finish(std::move(e));
}

// `(type) operand` when what follows '(' is a type, then ')', then something that starts an
// expression. A bare name counts as a type unless it is a builtin: `(pid) * 2` multiplies.
ExprPtr Parser::try_parse_cast(const Token &lparen) {
  TypeScan type;
  if (auto cast = try_parse_typeof_cast(lparen)) return cast;
  if (!scan_type(pos_, &type) || toks_[type.end].kind != TokenKind::RParen) return nullptr;
  if (!type.certain && is_builtin_name(type.base)) return nullptr;
  const Token &after = toks_[type.end + 1];
  if (!can_start_expression(after.kind)) {
    if (!type.certain) return nullptr;
    pos_ = type.end + 1;
    unexpected("expression after cast to '" + type.text + "'");
  }
  pos_ = type.end + 1;
  auto operand = parse_unary();
  auto e = node(ExprKind::Cast, lparen.range.begin, operand->range.end);
  e->cast_type = type.text;
  e->args.push_back(std::move(operand));
  return finish(std::move(e));
}

// `(typeof(expr)) operand`: a Cast to the type of expr, which is never evaluated (cast_type "",
// args[1] = expr). typeof(type) is an ordinary type (scan_type).
ExprPtr Parser::try_parse_typeof_cast(const Token &lparen) {
  auto token = [&](size_t i) -> const Token & { return i < toks_.size() ? toks_[i] : toks_.back(); };
  if (token(pos_).kind != TokenKind::Ident || token(pos_).text != "typeof" || token(pos_ + 1).kind != TokenKind::LParen)
    return nullptr;
  TypeScan type;
  if (scan_type(pos_, &type)) return nullptr;
  size_t close = pos_ + 2;  // the ')' that ends typeof(
  for (int depth = 1; close < toks_.size() && toks_[close].kind != TokenKind::Eof; close++) {
    TokenKind k = toks_[close].kind;
    depth += k == TokenKind::LParen || k == TokenKind::LBrace || k == TokenKind::LBracket;
    depth -= k == TokenKind::RParen || k == TokenKind::RBrace || k == TokenKind::RBracket;
    if (depth == 0) break;
  }
  if (token(close + 1).kind != TokenKind::RParen || !can_start_expression(token(close + 2).kind)) return nullptr;
  pos_ += 2;
  auto of = parse_expr();
  expect(TokenKind::RParen);
  expect(TokenKind::RParen);
  auto operand = parse_unary();
  auto e = node(ExprKind::Cast, lparen.range.begin, operand->range.end);
  e->args.push_back(std::move(operand));
  e->args.push_back(std::move(of));
  return finish(std::move(e));
}

// sizeof(type)  sizeof(expr)
ExprPtr Parser::parse_sizeof() {
  const Token &kw = advance();
  expect(TokenKind::LParen);
  auto e = node(ExprKind::Sizeof, kw.range.begin, kw.range.end);
  TypeScan type;
  if (scan_type(pos_, &type) && toks_[type.end].kind == TokenKind::RParen &&
      (type.certain || !is_builtin_name(type.base))) {
    e->cast_type = type.text;
    pos_ = type.end;
  } else {
    e->args.push_back(parse_expr());
  }
  e->range.end = expect(TokenKind::RParen).range.end;
  return finish(std::move(e));
}

// typeof(type) as a value: a type passed to a macro (Call "typeof", cast_type = the type).
// typeof(expr) stays a call with the expression as its argument.
ExprPtr Parser::parse_typeof() {
  TypeScan type;
  if (!scan_type(pos_ + 2, &type) || toks_[type.end].kind != TokenKind::RParen ||
      (!type.certain && is_builtin_name(type.base)))
    return parse_call();
  const Token &kw = advance();
  auto e = node(ExprKind::Call, kw.range.begin, toks_[type.end].range.end);
  e->name = "typeof";
  e->cast_type = type.text;
  pos_ = type.end + 1;
  return finish(std::move(e));
}

// offsetof(struct x, field.sub)  offsetof($expr, field)   -> Call "offsetof" (see ast.h)
ExprPtr Parser::parse_offsetof() {
  const Token &kw = advance();
  expect(TokenKind::LParen);
  auto e = node(ExprKind::Call, kw.range.begin, kw.range.end);
  e->name = "offsetof";
  TypeScan type;
  if (scan_type(pos_, &type) && toks_[type.end].kind == TokenKind::Comma &&
      (type.certain || !is_builtin_name(type.base))) {
    e->cast_type = type.text;
    pos_ = type.end;
  } else {
    e->args.push_back(parse_expr());
  }
  expect(TokenKind::Comma);
  do {
    if (!is_word(tok())) unexpected("field name");
    if (!e->sval.empty()) e->sval += '.';
    e->sval += advance().text;
  } while (accept(TokenKind::Dot));
  e->range.end = expect(TokenKind::RParen).range.end;
  return finish(std::move(e));
}

// type := [struct|union|enum] name { '*' | '[' [N] ']' }
// Looks ahead from token `at` without consuming anything.
bool Parser::scan_type(size_t at, TypeScan *out) const {
  auto token = [&](size_t i) -> const Token & { return i < toks_.size() ? toks_[i] : toks_.back(); };
  size_t i = at;
  const Token &first = token(i);
  if (first.kind != TokenKind::Ident) return false;
  TypeScan scan;
  if (first.text == "typeof" && token(i + 1).kind == TokenKind::LParen) {  // typeof(type), then suffixes
    TypeScan inner;
    if (!scan_type(i + 2, &inner) || token(inner.end).kind != TokenKind::RParen) return false;
    if (!inner.certain && is_builtin_name(inner.base)) return false;
    scan.base = inner.text;
    scan.certain = true;
    i = inner.end + 1;
  } else if (first.text == "struct" || first.text == "union" || first.text == "enum") {
    if (token(i + 1).kind != TokenKind::Ident) return false;
    scan.base = first.text + " " + token(i + 1).text;
    scan.certain = true;
    i += 2;
  } else {
    scan.base = first.text;
    i++;
  }
  scan.text = scan.base;
  while (true) {
    const Token &t = token(i);
    if (t.kind == TokenKind::Star) {
      if (scan.text.back() != '*') scan.text += ' ';
      scan.text += '*';
      i++;
    } else if (t.kind == TokenKind::LBracket && token(i + 1).kind == TokenKind::RBracket) {
      scan.text += "[]";
      i += 2;
    } else if (t.kind == TokenKind::LBracket && token(i + 1).kind == TokenKind::Int &&
               token(i + 2).kind == TokenKind::RBracket) {
      scan.text += "[" + std::to_string(token(i + 1).value) + "]";
      i += 3;
    } else {
      break;
    }
    scan.certain = true;
  }
  scan.end = i;
  *out = std::move(scan);
  return true;
}

// The type after `let $x:`.
std::string Parser::parse_declared_type() {
  TypeScan type;
  if (!scan_type(pos_, &type)) unexpected("type");
  pos_ = type.end;
  return type.text;
}

}  // namespace btc::parse_detail
