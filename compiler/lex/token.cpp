#include "lex/token.h"

namespace btc {

std::string token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::Eof:
      return "end of file";
    case TokenKind::Ident:
      return "identifier";
    case TokenKind::Var:
      return "variable";
    case TokenKind::Map:
      return "map";
    case TokenKind::Positional:
      return "positional parameter";
    case TokenKind::ParamCount:
      return "'$#'";
    case TokenKind::Int:
      return "integer";
    case TokenKind::String:
      return "string";
    case TokenKind::AttachPoint:
      return "attach point";
    case TokenKind::CPreproc:
      return "preprocessor directive";
    case TokenKind::CDefinition:
      return "C definition";
    case TokenKind::KwIf:
      return "'if'";
    case TokenKind::KwElse:
      return "'else'";
    case TokenKind::KwWhile:
      return "'while'";
    case TokenKind::KwUnroll:
      return "'unroll'";
    case TokenKind::KwFor:
      return "'for'";
    case TokenKind::KwBreak:
      return "'break'";
    case TokenKind::KwContinue:
      return "'continue'";
    case TokenKind::KwReturn:
      return "'return'";
    case TokenKind::KwLet:
      return "'let'";
    case TokenKind::KwSizeof:
      return "'sizeof'";
    case TokenKind::KwOffsetof:
      return "'offsetof'";
    case TokenKind::KwTrue:
      return "'true'";
    case TokenKind::KwFalse:
      return "'false'";
    case TokenKind::LParen:
      return "'('";
    case TokenKind::RParen:
      return "')'";
    case TokenKind::LBrace:
      return "'{'";
    case TokenKind::RBrace:
      return "'}'";
    case TokenKind::LBracket:
      return "'['";
    case TokenKind::RBracket:
      return "']'";
    case TokenKind::Comma:
      return "','";
    case TokenKind::Semi:
      return "';'";
    case TokenKind::Colon:
      return "':'";
    case TokenKind::Question:
      return "'?'";
    case TokenKind::Dot:
      return "'.'";
    case TokenKind::DotDot:
      return "'..'";
    case TokenKind::Arrow:
      return "'->'";
    case TokenKind::Plus:
      return "'+'";
    case TokenKind::Minus:
      return "'-'";
    case TokenKind::Star:
      return "'*'";
    case TokenKind::Slash:
      return "'/'";
    case TokenKind::Percent:
      return "'%'";
    case TokenKind::Amp:
      return "'&'";
    case TokenKind::Pipe:
      return "'|'";
    case TokenKind::Caret:
      return "'^'";
    case TokenKind::Tilde:
      return "'~'";
    case TokenKind::Not:
      return "'!'";
    case TokenKind::Lt:
      return "'<'";
    case TokenKind::Gt:
      return "'>'";
    case TokenKind::Le:
      return "'<='";
    case TokenKind::Ge:
      return "'>='";
    case TokenKind::EqEq:
      return "'=='";
    case TokenKind::Ne:
      return "'!='";
    case TokenKind::AndAnd:
      return "'&&'";
    case TokenKind::OrOr:
      return "'||'";
    case TokenKind::Shl:
      return "'<<'";
    case TokenKind::Shr:
      return "'>>'";
    case TokenKind::Assign:
      return "'='";
    case TokenKind::PlusAssign:
      return "'+='";
    case TokenKind::MinusAssign:
      return "'-='";
    case TokenKind::StarAssign:
      return "'*='";
    case TokenKind::SlashAssign:
      return "'/='";
    case TokenKind::PercentAssign:
      return "'%='";
    case TokenKind::AmpAssign:
      return "'&='";
    case TokenKind::PipeAssign:
      return "'|='";
    case TokenKind::CaretAssign:
      return "'^='";
    case TokenKind::ShlAssign:
      return "'<<='";
    case TokenKind::ShrAssign:
      return "'>>='";
    case TokenKind::PlusPlus:
      return "'++'";
    case TokenKind::MinusMinus:
      return "'--'";
  }
  return "token";
}

std::string describe_token(const Token &tok) {
  switch (tok.kind) {
    case TokenKind::Eof:
      return "end of file";
    case TokenKind::String:
      return "string " + tok.text;
    case TokenKind::AttachPoint:
      return "attach point '" + tok.text + "'";
    case TokenKind::CPreproc:
      return "'" + tok.text + "'";
    case TokenKind::CDefinition:
      return "C definition";
    default:
      return "'" + tok.text + "'";
  }
}

}  // namespace btc
