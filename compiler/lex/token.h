// Tokens: what the lexer hands to the parser.
#pragma once
#include <cstdint>
#include <string>

#include "source/source.h"

namespace btc {

enum class TokenKind {
  Eof,
  // Words and literals.
  Ident,       // pid, printf, struct, uint32, config, macro, ...
  Var,         // $name            text = "$name"
  Map,         // @name or @       text = "@name" / "@"
  Positional,  // $1               value = 1
  ParamCount,  // $#
  Int,         // 42, 0x2a, 1_000, 1e6, 5ms, 'a'   value = the number, text = spelling
  String,      // "..."            str = contents with escapes resolved
  // Top level, lexed specially.
  AttachPoint,  // kprobe:f, uprobe:/bin/bash:readline, BEGIN   text = raw spelling (quotes kept)
  CPreproc,     // #include <x.h>, #define A 1   text = the directive (continuation lines included)
  CDefinition,  // struct x { ... };           text = the definition, ending in ';'
  // Keywords.
  KwIf,
  KwElse,
  KwWhile,
  KwUnroll,
  KwFor,
  KwBreak,
  KwContinue,
  KwReturn,
  KwLet,
  KwSizeof,
  KwOffsetof,
  KwTrue,
  KwFalse,
  // Punctuation.
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Semi,
  Colon,
  Question,
  Dot,
  DotDot,
  Arrow,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Amp,
  Pipe,
  Caret,
  Tilde,
  Not,
  Lt,
  Gt,
  Le,
  Ge,
  EqEq,
  Ne,
  AndAnd,
  OrOr,
  Shl,
  Shr,
  Assign,
  PlusAssign,
  MinusAssign,
  StarAssign,
  SlashAssign,
  PercentAssign,
  AmpAssign,
  PipeAssign,
  CaretAssign,
  ShlAssign,
  ShrAssign,
  PlusPlus,
  MinusMinus,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  std::string text;  // the spelling as written
  SourceRange range;
  uint64_t value = 0;        // Int: the value; Positional: N
  std::string str;           // String: contents with escapes resolved
  bool starts_item = false;  // first token of a top-level item (probe, config, #include, ...)
};

// "identifier", "'{'", "attach point", ... for diagnostics.
std::string token_kind_name(TokenKind kind);

// How a token is named in "unexpected X" messages: "'}'", "'printf'", "end of file", "string \"a\"".
std::string describe_token(const Token &tok);

}  // namespace btc
