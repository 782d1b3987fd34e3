// Top level: C definitions, the config block, map declarations and probes; token helpers and
// error recovery.
#include <limits>

#include "lex/lexer.h"
#include "parse/attach_point.h"
#include "parse/parser.h"
#include "parse/parser_impl.h"

namespace btc {

namespace parse_detail {

Parser::NestingGuard::NestingGuard(Parser &p) : parser(p) {
  if (++parser.nesting_ > kMaxNesting) parser.error_at(parser.tok().range, "nesting too deep");
}

// ---- tokens -----------------------------------------------------------------------------------

const Token &Parser::peek(size_t k) const {
  size_t i = pos_ + k;
  return i < toks_.size() ? toks_[i] : toks_.back();
}

const Token &Parser::advance() {
  const Token &t = toks_[pos_];
  if (pos_ + 1 < toks_.size()) pos_++;
  return t;
}

bool Parser::accept(TokenKind kind) {
  if (!check(kind)) return false;
  advance();
  return true;
}

const Token &Parser::expect(TokenKind kind) {
  if (!check(kind)) unexpected(token_kind_name(kind));
  return advance();
}

void Parser::error_at(SourceRange range, std::string message) {
  diags_.error(DiagKind::Parse, range, std::move(message));
  throw ParseError{};
}

void Parser::unexpected(const std::string &expecting) {
  std::string message = "unexpected " + describe_token(tok());
  if (!expecting.empty()) message += ", expecting " + expecting;
  error_at(tok().range, std::move(message));
}

bool Parser::is_word(const Token &t) {
  switch (t.kind) {
    case TokenKind::Ident:
    case TokenKind::KwIf:
    case TokenKind::KwElse:
    case TokenKind::KwWhile:
    case TokenKind::KwUnroll:
    case TokenKind::KwFor:
    case TokenKind::KwBreak:
    case TokenKind::KwContinue:
    case TokenKind::KwReturn:
    case TokenKind::KwLet:
    case TokenKind::KwSizeof:
    case TokenKind::KwOffsetof:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse:
      return true;
    default:
      return false;
  }
}

// ---- program ------------------------------------------------------------------------------------

namespace {

// Tokens at which parsing can restart after an error.
bool can_start_item(const Token &t) {
  switch (t.kind) {
    case TokenKind::Eof:
    case TokenKind::AttachPoint:
    case TokenKind::CPreproc:
    case TokenKind::CDefinition:
    case TokenKind::KwLet:
      return true;
    case TokenKind::Ident:
      return t.text == "config" || t.text == "macro" || t.text == "fn" || t.text == "import";
    default:
      return false;
  }
}

}  // namespace

void Parser::parse_program(ast::Program *out) {
  int errors = 0;
  while (!check(TokenKind::Eof)) {
    size_t start = pos_;
    try {
      parse_top_item(out);
    } catch (const ParseError &) {
      if (++errors >= kMaxErrors) return;
      nesting_ = 0;
      if (pos_ == start) advance();
      skip_to_next_item();
    }
  }
}

void Parser::skip_to_next_item() {
  while (!check(TokenKind::Eof) && !(tok().starts_item && can_start_item(tok()))) advance();
}

void Parser::parse_top_item(ast::Program *out) {
  const Token &t = tok();
  switch (t.kind) {
    case TokenKind::CPreproc:
    case TokenKind::CDefinition:
      if (seen_config_ || seen_import_ || seen_body_)
        error_at(t.range, "C definitions must appear before probes and functions");
      out->c_definitions.push_back(t.text);
      out->c_definition_ranges.push_back(t.range);
      advance();
      return;
    case TokenKind::KwLet:
      parse_map_decl(out);
      return;
    case TokenKind::AttachPoint:
      out->probes.push_back(parse_probe());
      return;
    case TokenKind::Ident:
      if (t.text == "config") return parse_config(out);
      if (t.text == "macro") return parse_macro(out);
      if (t.text == "fn") error_at(t.range, "functions (fn) are not supported yet");
      if (t.text == "import") return parse_import(out);
      break;
    case TokenKind::Positional:  // `$1 { ... }` with the attach point on bpftrace's command line
      error_at(t.range, "a whole attach point cannot come from positional parameter " + t.text +
                            ": btc compiles the probes ahead of time, before the tool's command line gives it; "
                            "write the attach point in the script");
    default:
      break;
  }
  unexpected("attach point");
}

// config = { key = value; ... }
void Parser::parse_config(ast::Program *out) {
  const Token &kw = advance();
  if (seen_body_) error_at(kw.range, "config must appear before probes and functions");
  if (seen_config_) error_at(kw.range, "duplicate config block");
  seen_config_ = true;
  out->config_range = kw.range;
  expect(TokenKind::Assign);
  expect(TokenKind::LBrace);
  while (!check(TokenKind::RBrace)) {
    if (!is_word(tok())) unexpected("config key");
    ast::ConfigItem item;
    const Token &key = advance();
    item.key = key.text;
    expect(TokenKind::Assign);
    const Token &value = tok();
    switch (value.kind) {
      case TokenKind::String:
        item.value = value.str;
        break;
      case TokenKind::Int:
        item.value = std::to_string(value.value);
        break;
      case TokenKind::Ident:
      case TokenKind::KwTrue:
      case TokenKind::KwFalse:
        item.value = value.text;
        break;
      default:
        unexpected("string, integer, boolean or identifier");
    }
    advance();
    item.range = {key.range.begin, value.range.end};
    out->config.push_back(std::move(item));
    if (!check(TokenKind::RBrace)) expect(TokenKind::Semi);
  }
  advance();
}

// import "path";   after the C definitions, before probes, macros and map declarations
void Parser::parse_import(ast::Program *out) {
  const Token &kw = advance();
  if (seen_body_) error_at(kw.range, "root imports must appear before probes and functions");
  seen_import_ = true;
  if (!check(TokenKind::String)) error_at(tok().range, "expected string after 'import'");
  const Token &path = advance();
  if (!check(TokenKind::Semi)) error_at(tok().range, "expected ';' after import");
  advance();
  out->imports.push_back({path.str, {kw.range.begin, path.range.end}});
}

// let @name = hash(100);
void Parser::parse_map_decl(ast::Program *out) {
  const Token &let = advance();
  seen_body_ = true;
  if (!check(TokenKind::Map))
    error_at(let.range, "root-level let statements need to be map declarations, e.g. let @a = hash(2);");
  ast::MapDecl decl;
  decl.name = advance().text;
  expect(TokenKind::Assign);
  decl.map_type = expect(TokenKind::Ident).text;
  expect(TokenKind::LParen);
  const Token &n = expect(TokenKind::Int);
  if (n.value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    error_at(n.range, "map size out of range: " + n.text);
  decl.max_entries = static_cast<int64_t>(n.value);
  SourceLoc end = expect(TokenKind::RParen).range.end;
  if (check(TokenKind::Semi)) end = advance().range.end;
  decl.range = {let.range.begin, end};
  out->map_decls.push_back(std::move(decl));
}

// attach_point [, attach_point]... [/predicate/] { body }
ast::Probe Parser::parse_probe() {
  seen_body_ = true;
  ast::Probe probe;
  SourceLoc begin = tok().range.begin;
  const Token &first = advance();
  probe.attach_points.push_back(split_attach_point(first.text, first.range));
  while (accept(TokenKind::Comma)) {
    if (check(TokenKind::Slash) || check(TokenKind::LBrace)) break;  // trailing comma
    if (!check(TokenKind::AttachPoint)) unexpected("attach point");
    const Token &ap = advance();
    probe.attach_points.push_back(split_attach_point(ap.text, ap.range));
  }
  if (check(TokenKind::Slash)) {
    advance();
    probe.predicate = parse_expr();
    if (!check(TokenKind::Slash)) unexpected("'/'");
    advance();
    if (!check(TokenKind::LBrace)) unexpected("'{'");
  } else if (!check(TokenKind::LBrace)) {
    unexpected("',', '/' or '{'");
  }
  SourceLoc end;
  probe.body = parse_block(&end);
  probe.range = {begin, end};
  return probe;
}

// macro name(param, ...) { body }    param = $var | @map | name
void Parser::parse_macro(ast::Program *out) {
  advance();  // 'macro'
  seen_body_ = true;
  if (!check(TokenKind::Ident)) unexpected("macro name");
  const Token &name = advance();
  ast::Macro macro;
  macro.name = name.text;
  macro.range = name.range;
  expect(TokenKind::LParen);
  if (!check(TokenKind::RParen)) {
    do {
      macro.params.push_back(parse_macro_param());
    } while (accept(TokenKind::Comma));
  }
  expect(TokenKind::RParen);
  if (!check(TokenKind::LBrace)) unexpected("'{'");
  macro.body = parse_block_expr();
  out->macros.push_back(std::move(macro));
}

ast::MacroParam Parser::parse_macro_param() {
  const Token &t = tok();
  ast::MacroParam p;
  p.name = t.text;
  p.range = t.range;
  if (t.kind == TokenKind::Var) {
    p.kind = ast::MacroParamKind::Var;
  } else if (t.kind == TokenKind::Map && t.text != "@") {
    p.kind = ast::MacroParamKind::Map;
  } else if (t.kind == TokenKind::Ident) {
    if (is_builtin_name(t.text)) error_at(t.range, "builtin '" + t.text + "' can't be used as a macro argument");
    p.kind = ast::MacroParamKind::Expr;
  } else {
    unexpected("macro argument ($var, @map, or identifier)");
  }
  advance();
  return p;
}

}  // namespace parse_detail

namespace {

size_t count_errors(const Diagnostics &diags, size_t from) {
  size_t n = 0;
  for (size_t i = from; i < diags.all().size(); i++)
    if (diags.all()[i].severity == Severity::Error) n++;
  return n;
}

}  // namespace

bool parse_program(const SourceFile &file, Diagnostics &diags, ast::Program *out) {
  size_t first_diag = diags.all().size();
  out->leading_comment = extract_leading_comment(file.text());
  std::vector<Token> tokens = lex(file, diags);
  if (count_errors(diags, first_diag) > 0) return false;
  parse_detail::Parser parser(tokens, diags);
  parser.parse_program(out);
  return count_errors(diags, first_diag) == 0;
}

}  // namespace btc
