// The parser's internals, shared by parse_program.cpp (top level), parse_stmt.cpp (statements)
// and parse_expr.cpp (expressions and types). Not for use outside compiler/parse/.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "ast/ast.h"
#include "diag/diagnostics.h"
#include "lex/token.h"

namespace btc::parse_detail {

// Thrown after an error has been reported; caught at the top level, which skips to the next item.
struct ParseError {};

// A type as written in a cast, sizeof, offsetof or `let $x: T`: found by looking ahead.
struct TypeScan {
  size_t end = 0;        // index of the first token after the type
  std::string base;      // "uint32", "struct task_struct"
  std::string text;      // normalised spelling: "struct task_struct *", "int8[8]"
  bool certain = false;  // struct/union/enum or has '*'/'[N]' suffixes: surely a type
};

class Parser {
 public:
  Parser(const std::vector<Token> &tokens, Diagnostics &diags) : toks_(tokens), diags_(diags) {}

  void parse_program(ast::Program *out);

 private:
  static constexpr int kMaxNesting = 200;     // parser recursion (parentheses, blocks, unary chains)
  static constexpr int kMaxExprDepth = 1000;  // depth of an expression tree (long operator chains)
  static constexpr int kMaxErrors = 20;

  const std::vector<Token> &toks_;
  Diagnostics &diags_;
  size_t pos_ = 0;
  int nesting_ = 0;
  bool seen_config_ = false;
  bool seen_body_ = false;  // a probe or map declaration has been seen
  bool seen_import_ = false;
  std::unordered_map<const ast::Expr *, int> expr_depth_;

  // Counts recursion; reports "nesting too deep" instead of overflowing the stack.
  struct NestingGuard {
    explicit NestingGuard(Parser &p);
    ~NestingGuard() { parser.nesting_--; }
    Parser &parser;
  };

  // ---- tokens (parse_program.cpp) ----
  const Token &tok() const { return toks_[pos_]; }
  const Token &peek(size_t k) const;
  bool check(TokenKind kind) const { return tok().kind == kind; }
  bool accept(TokenKind kind);
  const Token &advance();
  const Token &expect(TokenKind kind);
  const Token &previous() const { return toks_[pos_ - 1]; }
  [[noreturn]] void error_at(SourceRange range, std::string message);
  [[noreturn]] void unexpected(const std::string &expecting);
  static bool is_word(const Token &t);  // an identifier or a keyword: usable as a field name

  // ---- top level (parse_program.cpp) ----
  void parse_top_item(ast::Program *out);
  void skip_to_next_item();
  void parse_config(ast::Program *out);
  void parse_import(ast::Program *out);
  void parse_map_decl(ast::Program *out);
  ast::Probe parse_probe();
  void parse_macro(ast::Program *out);
  ast::MacroParam parse_macro_param();

  // ---- statements (parse_stmt.cpp) ----
  std::vector<ast::StmtPtr> parse_block(SourceLoc *end, bool *ends_with_value = nullptr);
  ast::ExprPtr parse_block_expr();  // { stmts; value }  (the value is optional)
  ast::StmtPtr parse_statement();
  ast::StmtPtr parse_if();
  ast::StmtPtr parse_while();
  ast::StmtPtr parse_unroll();
  ast::StmtPtr parse_for();
  ast::StmtPtr parse_let();
  ast::StmtPtr parse_return();
  ast::StmtPtr parse_expr_or_assign();

  // ---- expressions (parse_expr.cpp) ----
  ast::ExprPtr parse_expr();
  ast::ExprPtr parse_ternary();
  ast::ExprPtr parse_binary(int min_prec);
  ast::ExprPtr parse_unary();
  ast::ExprPtr parse_postfix(ast::ExprPtr e);
  ast::ExprPtr parse_primary();
  ast::ExprPtr parse_if_expr();
  ast::ExprPtr parse_map();
  ast::ExprPtr parse_call();
  ast::ExprPtr parse_paren();
  ast::ExprPtr parse_record(const Token &lparen);
  ast::ExprPtr try_parse_cast(const Token &lparen);
  ast::ExprPtr try_parse_typeof_cast(const Token &lparen);
  ast::ExprPtr parse_sizeof();
  ast::ExprPtr parse_offsetof();
  ast::ExprPtr parse_typeof();
  bool scan_type(size_t at, TypeScan *out) const;
  std::string parse_declared_type();  // `let $x: T`
  ast::ExprPtr node(ast::ExprKind kind, SourceLoc begin, SourceLoc end);
  ast::ExprPtr finish(ast::ExprPtr e);  // records the tree depth; refuses trees that are too deep
};

bool is_builtin_name(const std::string &name);
bool can_start_expression(TokenKind kind);

}  // namespace btc::parse_detail
