#include "lex/lexer.h"

#include <cctype>
#include <cstring>
#include <limits>

#include "lex/escape.h"
#include "lex/int_literal.h"

namespace btc {

namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Characters an attach point may contain unquoted, besides ':' and '/' (handled separately).
bool is_attach_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || (c != '\0' && std::strchr("_.*?+-$@!=~%[]", c) != nullptr);
}
bool is_attach_start(char c) { return is_ident_start(c) || c == '*' || c == '"'; }

// How a character appears in an "invalid character" message.
std::string show_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  static const char kHex[] = "0123456789abcdef";
  return std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
}

struct Keyword {
  const char *word;
  TokenKind kind;
};
// clang-format off
constexpr Keyword kKeywords[] = {
    {"if", TokenKind::KwIf},         {"else", TokenKind::KwElse},           {"while", TokenKind::KwWhile},
    {"unroll", TokenKind::KwUnroll}, {"for", TokenKind::KwFor},             {"break", TokenKind::KwBreak},
    {"continue", TokenKind::KwContinue}, {"return", TokenKind::KwReturn},   {"let", TokenKind::KwLet},
    {"sizeof", TokenKind::KwSizeof}, {"offsetof", TokenKind::KwOffsetof},   {"true", TokenKind::KwTrue},
    {"false", TokenKind::KwFalse},
};
// clang-format on

struct Punct {
  const char *spelling;
  TokenKind kind;
};
// Longest spellings first so that the first match is the longest one.
// clang-format off
constexpr Punct kPuncts[] = {
    {"<<=", TokenKind::ShlAssign},  {">>=", TokenKind::ShrAssign},  {"..", TokenKind::DotDot},
    {"->", TokenKind::Arrow},       {"++", TokenKind::PlusPlus},    {"--", TokenKind::MinusMinus},
    {"+=", TokenKind::PlusAssign},  {"-=", TokenKind::MinusAssign}, {"*=", TokenKind::StarAssign},
    {"/=", TokenKind::SlashAssign}, {"%=", TokenKind::PercentAssign}, {"&=", TokenKind::AmpAssign},
    {"|=", TokenKind::PipeAssign},  {"^=", TokenKind::CaretAssign}, {"==", TokenKind::EqEq},
    {"!=", TokenKind::Ne},          {"<=", TokenKind::Le},          {">=", TokenKind::Ge},
    {"&&", TokenKind::AndAnd},      {"||", TokenKind::OrOr},        {"<<", TokenKind::Shl},
    {">>", TokenKind::Shr},         {"(", TokenKind::LParen},       {")", TokenKind::RParen},
    {"{", TokenKind::LBrace},       {"}", TokenKind::RBrace},       {"[", TokenKind::LBracket},
    {"]", TokenKind::RBracket},     {",", TokenKind::Comma},        {";", TokenKind::Semi},
    {":", TokenKind::Colon},        {"?", TokenKind::Question},     {".", TokenKind::Dot},
    {"+", TokenKind::Plus},         {"-", TokenKind::Minus},        {"*", TokenKind::Star},
    {"/", TokenKind::Slash},        {"%", TokenKind::Percent},      {"&", TokenKind::Amp},
    {"|", TokenKind::Pipe},         {"^", TokenKind::Caret},        {"~", TokenKind::Tilde},
    {"!", TokenKind::Not},          {"<", TokenKind::Lt},           {">", TokenKind::Gt},
    {"=", TokenKind::Assign},
};
// clang-format on

// Where the lexer is, as far as bpftrace's top-level structure goes.
enum class Mode {
  Top,         // between top-level items
  AttachList,  // after an attach point, before the predicate or block
  Normal,      // ordinary tokens inside the current item
};

// The kind of top-level item being lexed in Normal mode: says when it ends.
enum class Item {
  Probe,      // ends with the '}' closing its block
  Braced,     // config = {...}, macro/fn bodies, a stray '{': ends with the closing '}'
  Let,        // let @m = hash(N);  ends with ';', or with ')' when no ';' follows
  UntilSemi,  // import "x";
  Single,     // a stray token at top level
};

class Lexer {
 public:
  Lexer(const SourceFile &file, Diagnostics &diags) : file_(file), text_(file.text()), diags_(diags) {}

  std::vector<Token> run() {
    skip_shebang();
    while (true) {
      skip_layout();
      if (at_end()) break;
      size_t before = pos_;
      switch (mode_) {
        case Mode::Top:
          lex_top_item();
          break;
        case Mode::AttachList:
          lex_after_attach_point();
          break;
        case Mode::Normal:
          lex_token();
          break;
      }
      if (pos_ == before) pos_++;  // never stall, whatever the input
    }
    Token eof;
    eof.kind = TokenKind::Eof;
    eof.range = eof_range();
    eof.starts_item = true;
    out_.push_back(std::move(eof));
    return std::move(out_);
  }

 private:
  const SourceFile &file_;
  const std::string &text_;
  Diagnostics &diags_;
  size_t pos_ = 0;
  Mode mode_ = Mode::Top;
  Item item_ = Item::Single;
  int braces_ = 0;
  int parens_ = 0;
  bool item_start_ = false;    // the next token pushed starts a top-level item
  size_t last_token_end_ = 0;  // offset just past the last token pushed
  TokenKind last_kind_ = TokenKind::Eof;
  std::vector<Token> out_;

  // ---- characters -------------------------------------------------------------------------
  bool at_end() const { return pos_ >= text_.size(); }
  char char_at(size_t p) const { return p < text_.size() ? text_[p] : '\0'; }
  char peek(size_t k = 0) const { return char_at(pos_ + k); }

  SourceRange range_of(size_t begin, size_t end) const {  // [begin, end)
    if (end <= begin) end = begin + 1;
    return {file_.loc_of(begin), file_.loc_of(end - 1)};
  }

  void error(size_t begin, size_t end, std::string message) {
    diags_.error(DiagKind::Lex, range_of(begin, end), std::move(message));
  }

  SourceRange eof_range() const {
    size_t p = text_.size();
    while (p > 0 && is_space(text_[p - 1])) p--;
    SourceLoc loc = file_.loc_of(p);
    return {loc, loc};
  }

  // ---- layout -----------------------------------------------------------------------------
  void skip_shebang() {
    if (text_.compare(0, 2, "#!") != 0) return;
    while (!at_end() && peek() != '\n') pos_++;
  }

  void skip_layout() {
    while (!at_end()) {
      char c = peek();
      if (is_space(c)) {
        pos_++;
      } else if (c == '/' && peek(1) == '/') {
        while (!at_end() && peek() != '\n') pos_++;
      } else if (c == '/' && peek(1) == '*') {
        size_t end = text_.find("*/", pos_ + 2);
        if (end == std::string::npos) {
          error(pos_, pos_ + 2, "unterminated comment");
          pos_ = text_.size();
        } else {
          pos_ = end + 2;
        }
      } else {
        break;
      }
    }
  }

  // Offset of the first non-layout character at or after `p`, without consuming anything.
  size_t scan_layout(size_t p) const {
    while (p < text_.size()) {
      if (is_space(text_[p])) {
        p++;
      } else if (text_[p] == '/' && char_at(p + 1) == '/') {
        while (p < text_.size() && text_[p] != '\n') p++;
      } else if (text_[p] == '/' && char_at(p + 1) == '*') {
        size_t end = text_.find("*/", p + 2);
        p = end == std::string::npos ? text_.size() : end + 2;
      } else {
        break;
      }
    }
    return p;
  }

  size_t ident_end(size_t p) const {
    while (p < text_.size() && is_ident_char(text_[p])) p++;
    return p;
  }

  // ---- emitting ---------------------------------------------------------------------------
  void push(TokenKind kind, size_t begin, size_t end) {
    Token t;
    t.kind = kind;
    t.text = text_.substr(begin, end - begin);
    t.range = range_of(begin, end);
    push(std::move(t), end);
  }

  void push(Token t, size_t end) {
    t.starts_item = item_start_;
    item_start_ = false;
    TokenKind kind = t.kind;
    out_.push_back(std::move(t));
    last_token_end_ = end;
    last_kind_ = kind;
    if (mode_ == Mode::Normal) track_item_end(kind);
  }

  void back_to_top() {
    mode_ = Mode::Top;
    braces_ = 0;
    parens_ = 0;
  }

  // Follows braces and parentheses to see when the current top-level item ends.
  void track_item_end(TokenKind kind) {
    switch (kind) {
      case TokenKind::LBrace:
        braces_++;
        break;
      case TokenKind::RBrace:
        if (braces_ > 0) braces_--;
        if (braces_ == 0 && (item_ == Item::Probe || item_ == Item::Braced)) back_to_top();
        break;
      case TokenKind::LParen:
        parens_++;
        break;
      case TokenKind::RParen:
        if (parens_ > 0) parens_--;
        if (item_ == Item::Let && parens_ == 0 && braces_ == 0 && char_at(scan_layout(pos_)) != ';') back_to_top();
        break;
      case TokenKind::Semi:
        if (braces_ == 0 && parens_ == 0 && (item_ == Item::Let || item_ == Item::UntilSemi)) back_to_top();
        break;
      default:
        break;
    }
    if (item_ == Item::Single) back_to_top();
  }

  void start_item(Item item) {
    mode_ = Mode::Normal;
    item_ = item;
    braces_ = 0;
    parens_ = 0;
  }

  // ---- top level --------------------------------------------------------------------------
  void lex_top_item() {
    item_start_ = true;
    char c = peek();
    if (c == '#') {
      lex_preprocessor_line();
      return;
    }
    if (is_ident_start(c)) {
      size_t word_end = ident_end(pos_);
      std::string_view word = std::string_view(text_).substr(pos_, word_end - pos_);
      char after = char_at(scan_layout(word_end));
      if ((word == "struct" || word == "union" || word == "enum") && looks_like_c_definition(word_end)) {
        lex_c_definition(word_end);
        return;
      }
      if (word == "config" && after == '=') {
        start_item(Item::Braced);
      } else if (word == "let") {
        start_item(Item::Let);
      } else if (word == "macro" || word == "fn") {
        start_item(Item::Braced);
      } else if (word == "import") {
        start_item(Item::UntilSemi);
      }
      if (mode_ == Mode::Normal) {
        lex_token();
        return;
      }
    }
    if (is_attach_start(c)) {
      lex_attach_point();
      mode_ = Mode::AttachList;
      item_ = Item::Probe;
      return;
    }
    // Not something that can start a top-level item: hand one token to the parser to complain
    // about. A stray '{' swallows its whole block so that the next item is found again.
    start_item(c == '{' ? Item::Braced : Item::Single);
    lex_token();
  }

  // #include <linux/sched.h>   #define X 1 \   (continued lines included)
  void lex_preprocessor_line() {
    size_t begin = pos_;
    while (!at_end()) {
      size_t eol = text_.find('\n', pos_);
      if (eol == std::string::npos) eol = text_.size();
      size_t last = eol;
      while (last > pos_ && (text_[last - 1] == '\r' || text_[last - 1] == ' ' || text_[last - 1] == '\t')) last--;
      pos_ = eol;
      if (last > begin && text_[last - 1] == '\\' && eol < text_.size()) {
        pos_ = eol + 1;
        continue;
      }
      break;
    }
    size_t end = pos_;
    while (end > begin && is_space(text_[end - 1])) end--;
    push(TokenKind::CPreproc, begin, end);
  }

  // After `struct`/`union`/`enum`: identifiers and balanced (...)/[...] groups up to a '{'.
  bool looks_like_c_definition(size_t p) const {
    p = scan_layout(p);
    while (p < text_.size()) {
      char c = text_[p];
      if (c == '{') return true;
      if (is_ident_start(c)) {
        p = scan_layout(ident_end(p));
      } else if (c == '(' || c == '[') {
        size_t after = scan_balanced(p);
        if (after == std::string::npos) return false;
        p = scan_layout(after);
      } else {
        return false;
      }
    }
    return false;
  }

  // Offset just past the bracket group starting at `p` ('(' / '[' / '{'), skipping comments,
  // strings and character literals; npos if it is not closed.
  size_t scan_balanced(size_t p) const {
    char open = text_[p];
    char close = open == '(' ? ')' : open == '[' ? ']' : '}';
    int depth = 0;
    while (p < text_.size()) {
      char c = text_[p];
      if (c == '/' && (char_at(p + 1) == '/' || char_at(p + 1) == '*')) {
        size_t q = scan_layout(p);
        if (q == p) q++;
        p = q;
        continue;
      }
      if (c == '"' || c == '\'') {
        p++;
        while (p < text_.size() && text_[p] != c && text_[p] != '\n') p += text_[p] == '\\' ? 2 : 1;
        p++;
        continue;
      }
      if (c == open) depth++;
      if (c == close && --depth == 0) return p + 1;
      p++;
    }
    return std::string::npos;
  }

  // struct name { ... } [__attribute__((...))] [;]   -> one CDefinition token ending in ';'.
  void lex_c_definition(size_t word_end) {
    size_t begin = pos_;
    size_t brace = scan_layout(word_end);
    while (brace < text_.size() && text_[brace] != '{') {
      size_t after = (text_[brace] == '(' || text_[brace] == '[') ? scan_balanced(brace) : ident_end(brace);
      if (after == std::string::npos || after == brace) break;
      brace = scan_layout(after);
    }
    size_t end = brace < text_.size() ? scan_balanced(brace) : std::string::npos;
    if (end == std::string::npos) {
      error(begin, word_end, "unterminated " + text_.substr(begin, word_end - begin) + " definition");
      pos_ = text_.size();
      return;
    }
    // Trailing attributes: __attribute__((packed)) ...
    while (true) {
      size_t p = scan_layout(end);
      if (text_.compare(p, 13, "__attribute__") != 0 || is_ident_char(char_at(p + 13))) break;
      size_t paren = scan_layout(p + 13);
      if (char_at(paren) != '(') break;
      size_t after = scan_balanced(paren);
      if (after == std::string::npos) break;
      end = after;
    }
    Token t;
    t.kind = TokenKind::CDefinition;
    t.text = text_.substr(begin, end - begin) + ";";
    size_t semi = scan_layout(end);
    if (char_at(semi) == ';') end = semi + 1;
    t.range = range_of(begin, end);
    pos_ = end;
    push(std::move(t), end);
  }

  // kprobe:do_sys_open  uprobe:/bin/bash:readline  uprobe:/x:"ns::f"  BEGIN  t:syscalls:sys_enter_*
  // Ends at whitespace, ',', '{' or a '/' that starts the predicate. A '/' after the provider
  // belongs to the attach point when it is part of a path: the part starts with '/' or '.'
  // (uprobe:/bin/sh:f, uprobe:./a.out:f) or another ':' follows (uprobe:bin/app:f). Otherwise
  // `kprobe:f/pid == 1/` is a probe with a predicate.
  void lex_attach_point() {
    size_t begin = pos_;
    size_t part = pos_;        // start of the current ':'-separated part
    size_t next_colon = pos_;  // a ':' known to come later in this attach point
    while (!at_end()) {
      char c = peek();
      if (c == '"') {
        if (!skip_quoted_part()) return;
        continue;
      }
      if (c == ':') {
        pos_++;
        part = pos_;
        continue;
      }
      if (c == '/') {
        bool comment = peek(1) == '/' || peek(1) == '*';
        if (next_colon <= pos_) next_colon = find_colon(pos_);
        bool path =
            part > begin && (pos_ == part || text_[part] == '/' || text_[part] == '.' || char_at(next_colon) == ':');
        if (comment || !path) break;
        pos_++;
        continue;
      }
      if (!is_attach_char(c)) break;
      pos_++;
    }
    push(TokenKind::AttachPoint, begin, pos_);
  }

  // Offset of the first ':' in the attach-point-like run of characters starting at `p` (just past
  // `p`), or of the end of that run when it has no ':'.
  size_t find_colon(size_t p) const {
    size_t q = p + 1;
    while (q < text_.size() && text_[q] != ':' && (is_attach_char(text_[q]) || text_[q] == '/')) q++;
    return q;
  }

  // A "quoted" piece of an attach point; false (after reporting) if it is not closed on its line.
  bool skip_quoted_part() {
    size_t quote = pos_++;
    while (!at_end() && peek() != '"' && peek() != '\n') pos_ += (peek() == '\\' && peek(1) != '\n') ? 2 : 1;
    if (pos_ > text_.size()) pos_ = text_.size();
    if (at_end() || peek() != '"') {
      error(quote, pos_, "unterminated string");
      return false;
    }
    pos_++;
    return true;
  }

  void lex_after_attach_point() {
    char c = peek();
    if (c == ',') {
      push(TokenKind::Comma, pos_, pos_ + 1);
      pos_++;
    } else if (is_attach_start(c)) {
      lex_attach_point();
    } else {
      // '{' starts the body, '/' the predicate; anything else is the parser's to report.
      start_item(Item::Probe);
      lex_token();
    }
  }

  // ---- ordinary tokens --------------------------------------------------------------------
  void lex_token() {
    char c = peek();
    if (is_ident_start(c)) return lex_word();
    if (is_digit(c)) return lex_number();
    if (c == '$') return lex_dollar();
    if (c == '@') {
      size_t begin = pos_++;
      if (is_ident_start(peek())) pos_ = ident_end(pos_);
      return push(TokenKind::Map, begin, pos_);
    }
    if (c == '"') return lex_string();
    if (c == '\'') return lex_char();
    for (const Punct &p : kPuncts) {
      size_t n = std::strlen(p.spelling);
      if (text_.compare(pos_, n, p.spelling) == 0) {
        size_t begin = pos_;
        pos_ += n;
        return push(p.kind, begin, pos_);
      }
    }
    error(pos_, pos_ + 1, "invalid character '" + show_char(c) + "'");
    pos_++;
  }

  void lex_word() {
    size_t begin = pos_;
    pos_ = ident_end(pos_);
    std::string_view word = std::string_view(text_).substr(begin, pos_ - begin);
    TokenKind kind = TokenKind::Ident;
    for (const Keyword &k : kKeywords)
      if (word == k.word) kind = k.kind;
    push(kind, begin, pos_);
  }

  void lex_number() {
    size_t begin = pos_;
    pos_ = ident_end(pos_);
    bool tuple_index = last_kind_ == TokenKind::Dot && last_token_end_ == begin;
    if (!tuple_index && peek() == '.' && is_digit(peek(1))) {
      pos_ = ident_end(pos_ + 1);
      error(begin, pos_, "floating-point literals are not supported");
      return;
    }
    std::string spelling = text_.substr(begin, pos_ - begin);
    IntLiteral lit = parse_int_literal(spelling);
    if (!lit.ok) {
      error(begin, pos_, lit.error);
      return;
    }
    Token t;
    t.kind = TokenKind::Int;
    t.text = std::move(spelling);
    t.range = range_of(begin, pos_);
    t.value = lit.value;
    push(std::move(t), pos_);
  }

  // $name, $1, $#
  void lex_dollar() {
    size_t begin = pos_;
    char c = peek(1);
    if (c == '#') {
      pos_ += 2;
      return push(TokenKind::ParamCount, begin, pos_);
    }
    if (is_ident_start(c)) {
      pos_ = ident_end(pos_ + 1);
      return push(TokenKind::Var, begin, pos_);
    }
    if (!is_digit(c)) {
      error(begin, begin + 1, "expected identifier after '$'");
      pos_++;
      return;
    }
    pos_++;
    uint64_t n = 0;
    bool overflow = false;
    while (is_digit(peek())) {
      uint64_t d = static_cast<uint64_t>(peek() - '0');
      if (n > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - d) / 10) overflow = true;
      if (!overflow) n = n * 10 + d;
      pos_++;
    }
    if (overflow || n == 0) {
      error(begin, pos_,
            "param " + text_.substr(begin, pos_ - begin) + " is out of integer range [1, " +
                std::to_string(std::numeric_limits<int64_t>::max()) + "]");
      return;
    }
    Token t;
    t.kind = TokenKind::Positional;
    t.text = text_.substr(begin, pos_ - begin);
    t.range = range_of(begin, pos_);
    t.value = n;
    push(std::move(t), pos_);
  }

  // One escape sequence at pos_ (a backslash): appends its byte to `out` and moves past it.
  // Returns false after reporting an invalid escape. A backslash ending the line only consumes
  // itself: the caller then reports the unterminated literal.
  bool lex_escape(std::string &out) {
    size_t begin = pos_;
    Escape e = decode_escape(text_, pos_);
    pos_ = e.end;
    if (!e.ok) {
      error(begin, pos_, e.error);
      return false;
    }
    if (pos_ > begin + 1) out += e.value;
    return true;
  }

  void lex_string() {
    size_t begin = pos_++;
    std::string value;
    bool ok = true;
    while (true) {
      if (at_end() || peek() == '\n') {
        error(begin, pos_, "unterminated string");
        return;
      }
      if (peek() == '"') break;
      if (peek() == '\\') {
        ok = lex_escape(value) && ok;
        continue;
      }
      value += text_[pos_++];
    }
    pos_++;
    if (!ok) return;
    Token t;
    t.kind = TokenKind::String;
    t.text = text_.substr(begin, pos_ - begin);
    t.range = range_of(begin, pos_);
    t.str = std::move(value);
    push(std::move(t), pos_);
  }

  // 'a', '\n', '\x41': an integer literal with the character's value.
  void lex_char() {
    size_t begin = pos_++;
    std::string value;
    bool ok = true;
    while (!at_end() && peek() != '\'' && peek() != '\n') {
      if (peek() == '\\')
        ok = lex_escape(value) && ok;
      else
        value += text_[pos_++];
    }
    if (at_end() || peek() != '\'') {
      error(begin, pos_, "unterminated character literal");
      return;
    }
    pos_++;
    if (!ok) return;
    if (value.size() != 1) {
      error(begin, pos_, value.empty() ? "empty character literal" : "multi-character character literal");
      return;
    }
    Token t;
    t.kind = TokenKind::Int;
    t.text = text_.substr(begin, pos_ - begin);
    t.range = range_of(begin, pos_);
    t.value = static_cast<unsigned char>(value[0]);
    push(std::move(t), pos_);
  }
};

}  // namespace

std::vector<Token> lex(const SourceFile &file, Diagnostics &diags) { return Lexer(file, diags).run(); }

}  // namespace btc
