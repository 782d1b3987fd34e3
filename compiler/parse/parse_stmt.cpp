// Statements and blocks.
#include <limits>

#include "parse/parser_impl.h"

namespace btc::parse_detail {

using ast::Stmt;
using ast::StmtKind;
using ast::StmtPtr;

namespace {

StmtPtr make_stmt(StmtKind kind, SourceLoc begin, SourceLoc end) {
  auto s = std::make_unique<Stmt>();
  s->kind = kind;
  s->range = {begin, end};
  return s;
}

// Statements that end with a block need no ';' after them.
bool ends_with_block(const Stmt &s) {
  switch (s.kind) {
    case StmtKind::If:
    case StmtKind::While:
    case StmtKind::Unroll:
    case StmtKind::For:
    case StmtKind::Block:
      return true;
    default:
      return false;
  }
}

bool is_assign_op(TokenKind kind) {
  switch (kind) {
    case TokenKind::Assign:
    case TokenKind::PlusAssign:
    case TokenKind::MinusAssign:
    case TokenKind::StarAssign:
    case TokenKind::SlashAssign:
    case TokenKind::PercentAssign:
    case TokenKind::AmpAssign:
    case TokenKind::PipeAssign:
    case TokenKind::CaretAssign:
    case TokenKind::ShlAssign:
    case TokenKind::ShrAssign:
      return true;
    default:
      return false;
  }
}

bool is_var_or_map(const ast::Expr &e) { return e.kind == ast::ExprKind::Var || e.kind == ast::ExprKind::Map; }

// Whether an if-expression's branches all end with a value: `if c { a } else { b }`.
bool if_expr_has_value(const ast::Expr &e) {
  if (e.kind == ast::ExprKind::Block) return !e.args.empty();
  return e.kind == ast::ExprKind::Ternary && if_expr_has_value(*e.args[1]) && if_expr_has_value(*e.args[2]);
}

}  // namespace

// { stmt; stmt; ... }   ';' separates statements; the last one and those after blocks are optional.
// *ends_with_value (when asked) tells whether the block ends with an expression statement that has
// no ';' after it: the value of a block expression.
std::vector<StmtPtr> Parser::parse_block(SourceLoc *end, bool *ends_with_value) {
  expect(TokenKind::LBrace);
  std::vector<StmtPtr> body;
  bool value = false;
  while (!check(TokenKind::RBrace)) {
    value = false;
    if (check(TokenKind::Eof)) unexpected("'}'");
    if (accept(TokenKind::Semi)) continue;
    size_t stmt_begin = pos_;
    StmtPtr s = parse_statement();
    if (ends_with_value && s->kind == StmtKind::If && s->has_else && check(TokenKind::RBrace)) {
      // `{ ...; if c { a } else { b } }`: a final if/else whose branches have values is the value.
      size_t stmt_end = pos_;
      pos_ = stmt_begin;
      ast::ExprPtr value = parse_if_expr();
      if (if_expr_has_value(*value)) {
        auto vs = make_stmt(StmtKind::Expr, value->range.begin, value->range.end);
        vs->expr = std::move(value);
        body.push_back(std::move(vs));
        *end = advance().range.end;
        *ends_with_value = true;
        return body;
      }
      pos_ = stmt_end;
    }
    bool block_like = ends_with_block(*s);
    value = s->kind == StmtKind::Expr && !block_like;
    body.push_back(std::move(s));
    if (block_like || check(TokenKind::RBrace)) continue;
    if (check(TokenKind::Eof)) unexpected("'}'");
    expect(TokenKind::Semi);
    value = false;
  }
  *end = advance().range.end;
  if (ends_with_value) *ends_with_value = value;
  return body;
}

// A block used as an expression: `{ let $a = 1; $a + 2 }`. Without a final value (`{ f(); }`) it
// can only be used as a statement.
ast::ExprPtr Parser::parse_block_expr() {
  NestingGuard guard(*this);
  SourceLoc begin = tok().range.begin, end;
  bool has_value = false;
  auto body = parse_block(&end, &has_value);
  auto e = node(ast::ExprKind::Block, begin, end);
  if (has_value) {
    e->args.push_back(std::move(body.back()->expr));
    body.pop_back();
  }
  e->body = std::move(body);
  return finish(std::move(e));
}

StmtPtr Parser::parse_statement() {
  NestingGuard guard(*this);
  const Token &t = tok();
  switch (t.kind) {
    case TokenKind::KwIf:
      return parse_if();
    case TokenKind::KwWhile:
      return parse_while();
    case TokenKind::KwUnroll:
      return parse_unroll();
    case TokenKind::KwFor:
      return parse_for();
    case TokenKind::KwLet:
      return parse_let();
    case TokenKind::KwReturn:
      return parse_return();
    case TokenKind::KwBreak:
    case TokenKind::KwContinue:
      advance();
      return make_stmt(t.kind == TokenKind::KwBreak ? StmtKind::Break : StmtKind::Continue, t.range.begin, t.range.end);
    case TokenKind::LBrace: {
      SourceLoc end;
      auto body = parse_block(&end);
      auto s = make_stmt(StmtKind::Block, t.range.begin, end);
      s->body = std::move(body);
      return s;
    }
    case TokenKind::Ident:
      if (t.text == "import" && peek(1).kind == TokenKind::String)
        error_at(t.range,
                 "Import statements that are not at the top level are primarily for the standard library; btc "
                 "supports imports at the top of the script only");
      if (t.text == "_" && peek(1).kind == TokenKind::Assign) {  // _ = expr;  discards the value
        advance();
        advance();
        auto value = parse_expr();
        auto s = make_stmt(StmtKind::Expr, t.range.begin, value->range.end);
        s->expr = std::move(value);
        return s;
      }
      break;
    default:
      break;
  }
  return parse_expr_or_assign();
}

// if cond { ... } [else if ... | else { ... }]     (cond with or without parentheses)
StmtPtr Parser::parse_if() {
  const Token &kw = advance();
  auto cond = parse_expr();
  SourceLoc end;
  auto body = parse_block(&end);
  auto s = make_stmt(StmtKind::If, kw.range.begin, end);
  s->expr = std::move(cond);
  s->body = std::move(body);
  if (accept(TokenKind::KwElse)) {
    s->has_else = true;
    if (check(TokenKind::KwIf)) {
      s->else_body.push_back(parse_statement());
      s->range.end = s->else_body.back()->range.end;
    } else if (check(TokenKind::LBrace)) {
      s->else_body = parse_block(&s->range.end);
    } else {
      unexpected("'{' or 'if'");
    }
  }
  return s;
}

// while cond { ... }
StmtPtr Parser::parse_while() {
  const Token &kw = advance();
  auto cond = parse_expr();
  SourceLoc end;
  auto body = parse_block(&end);
  auto s = make_stmt(StmtKind::While, kw.range.begin, end);
  s->expr = std::move(cond);
  s->body = std::move(body);
  return s;
}

// unroll (N) { ... }   unroll ($1) { ... } (a positional parameter: the count is known at run time)
StmtPtr Parser::parse_unroll() {
  const Token &kw = advance();
  bool paren = accept(TokenKind::LParen);
  if (check(TokenKind::Positional)) {
    ast::ExprPtr count = parse_primary();
    if (paren) expect(TokenKind::RParen);
    SourceLoc end;
    auto body = parse_block(&end);
    auto s = make_stmt(StmtKind::Unroll, kw.range.begin, end);
    s->expr = std::move(count);
    s->body = std::move(body);
    return s;
  }
  if (!check(TokenKind::Int)) unexpected("integer literal");
  const Token &n = advance();
  if (n.value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    error_at(n.range, "unroll count out of range: " + n.text);
  if (paren) expect(TokenKind::RParen);
  SourceLoc end;
  auto body = parse_block(&end);
  auto s = make_stmt(StmtKind::Unroll, kw.range.begin, end);
  s->count = static_cast<int64_t>(n.value);
  s->body = std::move(body);
  return s;
}

// for ($kv : @map) { ... }   for ($i : a..b) { ... }   (parentheses optional)
StmtPtr Parser::parse_for() {
  const Token &kw = advance();
  bool paren = accept(TokenKind::LParen);
  if (!check(TokenKind::Var)) unexpected("variable");
  std::string name = advance().text;
  expect(TokenKind::Colon);
  auto first = parse_unary();
  ast::ExprPtr range_end;
  if (accept(TokenKind::DotDot)) {
    range_end = parse_unary();
  } else if (first->kind != ast::ExprKind::Map || !first->args.empty()) {
    error_at(first->range, "expected a map or a range (begin..end) to iterate over");
  }
  if (paren) expect(TokenKind::RParen);
  SourceLoc end;
  auto body = parse_block(&end);
  auto s = make_stmt(StmtKind::For, kw.range.begin, end);
  s->name = std::move(name);
  if (range_end) {
    s->range_begin = std::move(first);
    s->range_end = std::move(range_end);
  } else {
    s->iter = std::move(first);
  }
  s->body = std::move(body);
  return s;
}

// let $x;  let $x = e;  let $x: type;  let $x: type = e;
StmtPtr Parser::parse_let() {
  const Token &kw = advance();
  if (check(TokenKind::Map)) error_at(tok().range, "map declarations are only allowed at the top level");
  if (!check(TokenKind::Var)) unexpected("variable");
  const Token &var = advance();
  auto s = make_stmt(StmtKind::Let, kw.range.begin, var.range.end);
  s->name = var.text;
  if (accept(TokenKind::Colon)) {
    TypeScan type;
    if (check(TokenKind::Ident) && tok().text == "typeof" && peek(1).kind == TokenKind::LParen &&
        !scan_type(pos_, &type)) {  // let $y: typeof(expr): the type of expr, which is never evaluated
      advance();
      advance();
      s->decl_typeof = parse_expr();
      expect(TokenKind::RParen);
    } else {
      s->decl_type = parse_declared_type();
    }
    s->range.end = previous().range.end;
  }
  if (accept(TokenKind::Assign)) {
    s->expr = parse_expr();
    s->range.end = s->expr->range.end;
  }
  return s;
}

// return;  return expr;
StmtPtr Parser::parse_return() {
  const Token &kw = advance();
  auto s = make_stmt(StmtKind::Return, kw.range.begin, kw.range.end);
  if (!check(TokenKind::Semi) && !check(TokenKind::RBrace)) {
    s->expr = parse_expr();
    s->range.end = s->expr->range.end;
  }
  return s;
}

// expr;  or  lhs op= expr;  with lhs a $variable or @map[keys]
StmtPtr Parser::parse_expr_or_assign() {
  auto lhs = parse_expr();
  if (!is_assign_op(tok().kind)) {
    auto s = make_stmt(StmtKind::Expr, lhs->range.begin, lhs->range.end);
    s->expr = std::move(lhs);
    return s;
  }
  if (!is_var_or_map(*lhs))
    error_at(lhs->range, "invalid assignment target: only $variables and @maps can be assigned to");
  std::string op = advance().text;
  auto rhs = parse_expr();
  auto s = make_stmt(StmtKind::Assign, lhs->range.begin, rhs->range.end);
  s->op = std::move(op);
  s->lhs = std::move(lhs);
  s->expr = std::move(rhs);
  return s;
}

}  // namespace btc::parse_detail
