// Lexer: token kinds, spellings, values and ranges; attach point lexing; literals; errors.
#include "lex/lexer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "lex/int_literal.h"
#include "parsed_program.h"

namespace btc {
namespace {

struct Lexed {
  explicit Lexed(std::string src) : file("test.bt", std::move(src)), diags(file), toks(lex(file, diags)) {}
  SourceFile file;
  Diagnostics diags;
  std::vector<Token> toks;

  // Token spellings joined with ' ', without the final Eof.
  std::string texts() const {
    std::string s;
    for (size_t i = 0; i + 1 < toks.size(); i++) s += (i ? " " : "") + toks[i].text;
    return s;
  }
  // "L:C-L:C message" of every diagnostic, joined with "\n".
  std::string errors() const { return test_support::diagnostic_ranges(diags); }
  const Token &find(const std::string &text) const {
    for (const auto &t : toks)
      if (t.text == text) return t;
    ADD_FAILURE() << "no token " << text;
    return toks.back();
  }
};

std::string range_str(const SourceRange &r) {
  return std::to_string(r.begin.line) + ":" + std::to_string(r.begin.col) + "-" + std::to_string(r.end.line) + ":" +
         std::to_string(r.end.col);
}

TEST(Lexer, ProbeTokensKindsAndRanges) {
  Lexed l("kprobe:do_sys_open /pid == 1/\n{ @x[comm] += 2; }");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.texts(), "kprobe:do_sys_open / pid == 1 / { @x [ comm ] += 2 ; }");
  ASSERT_EQ(l.toks.size(), 16u);
  EXPECT_EQ(l.toks[0].kind, TokenKind::AttachPoint);
  EXPECT_TRUE(l.toks[0].starts_item);
  EXPECT_EQ(l.toks[1].kind, TokenKind::Slash);
  EXPECT_EQ(l.toks[2].kind, TokenKind::Ident);
  EXPECT_EQ(l.toks[3].kind, TokenKind::EqEq);
  EXPECT_EQ(l.toks[4].kind, TokenKind::Int);
  EXPECT_EQ(l.toks[4].value, 1u);
  EXPECT_EQ(l.toks[7].kind, TokenKind::Map);
  EXPECT_EQ(l.toks[11].kind, TokenKind::PlusAssign);
  EXPECT_EQ(l.toks[15].kind, TokenKind::Eof);
  EXPECT_EQ(range_str(l.toks[0].range), "1:1-1:18");
  EXPECT_EQ(range_str(l.toks[3].range), "1:25-1:26");
  EXPECT_EQ(range_str(l.toks[6].range), "2:1-2:1");
  EXPECT_EQ(range_str(l.toks[7].range), "2:3-2:4");
  EXPECT_EQ(range_str(l.toks[14].range), "2:18-2:18");
  EXPECT_FALSE(l.toks[1].starts_item);
}

TEST(Lexer, OperatorsLongestMatch) {
  Lexed l("BEGIN { a <<= b >>= c .. d -> e ++ -- != <= >= && || << >> ? : ~ ! ^ % }");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.texts(), "BEGIN { a <<= b >>= c .. d -> e ++ -- != <= >= && || << >> ? : ~ ! ^ % }");
}

TEST(Lexer, KeywordsAndSigils) {
  Lexed l(
      "BEGIN { if else while unroll for break continue return let sizeof offsetof true false "
      "$x $1 $42 $# @ @m struct }");
  EXPECT_EQ(l.errors(), "");
  std::vector<TokenKind> want = {
      TokenKind::AttachPoint, TokenKind::LBrace,     TokenKind::KwIf,       TokenKind::KwElse,     TokenKind::KwWhile,
      TokenKind::KwUnroll,    TokenKind::KwFor,      TokenKind::KwBreak,    TokenKind::KwContinue, TokenKind::KwReturn,
      TokenKind::KwLet,       TokenKind::KwSizeof,   TokenKind::KwOffsetof, TokenKind::KwTrue,     TokenKind::KwFalse,
      TokenKind::Var,         TokenKind::Positional, TokenKind::Positional, TokenKind::ParamCount, TokenKind::Map,
      TokenKind::Map,         TokenKind::Ident,      TokenKind::RBrace,     TokenKind::Eof};
  ASSERT_EQ(l.toks.size(), want.size());
  for (size_t i = 0; i < want.size(); i++) EXPECT_EQ(l.toks[i].kind, want[i]) << i << " " << l.toks[i].text;
  EXPECT_EQ(l.find("$42").value, 42u);
  EXPECT_EQ(l.find("@").kind, TokenKind::Map);
}

TEST(Lexer, AttachPointsAreSingleTokens) {
  const char *aps[] = {
      "tracepoint:syscalls:sys_enter_openat",
      "t:syscalls:sys_enter_*",
      "uprobe:/bin/bash:readline",
      "uprobe:/usr/lib/libc.so.6:malloc+16",
      "u:libc:malloc",
      "interval:s:1",
      "interval:1s",
      "i:ms:100",
      "profile:hz:99",
      "kprobe:do_sys_open",
      "kretprobe:vfs_read",
      "fentry:vmlinux:vfs_read",
      "usdt:/path:provider:name",
      "software:page-faults:100",
      "rawtracepoint:sched_switch",
      "self:signal:SIGUSR1",
      "BEGIN",
      "uprobe:/bin/x:\"ns::f\"",
      "uprobe:./a.out:main",
      "iter:task_file:/sys/fs/bpf/files",
      "kprobe:tcp_*",
      "uprobe:\"/x y/app\":f",
      "watchpoint:0x10000000:8:rw",
      "usdt:*:loop",
      "uprobe:testprogs/uprobe_test:uprobeFunction*",
      "uprobe:/bin/bash@readline.c:362",
  };
  for (const char *ap : aps) {
    for (const char *tail : {" { }", "{ }", " /1/ { }", "\n{ }"}) {
      Lexed l(std::string(ap) + tail);
      EXPECT_EQ(l.errors(), "") << ap;
      ASSERT_GE(l.toks.size(), 3u);
      EXPECT_EQ(l.toks[0].kind, TokenKind::AttachPoint) << ap;
      EXPECT_EQ(l.toks[0].text, ap) << ap << tail;
      EXPECT_TRUE(l.toks[1].kind == TokenKind::LBrace || l.toks[1].kind == TokenKind::Slash) << ap << tail;
    }
  }
}

TEST(Lexer, AttachPointListAndPredicateWithoutSpace) {
  Lexed l("kprobe:f,kprobe:g/pid/{}\nuprobe:/bin/bash:readline/pid > 1/{}");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.texts(), "kprobe:f , kprobe:g / pid / { } uprobe:/bin/bash:readline / pid > 1 / { }");
  EXPECT_EQ(l.toks[2].kind, TokenKind::AttachPoint);
  EXPECT_FALSE(l.toks[2].starts_item);
  EXPECT_TRUE(l.toks[8].starts_item);
}

TEST(Lexer, AttachPointListAcrossLinesWithComments) {
  Lexed l("tracepoint:a:b, // first\n  tracepoint:c:d /* second */\n{ }");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.texts(), "tracepoint:a:b , tracepoint:c:d { }");
}

TEST(Lexer, PreambleTokens) {
  Lexed l(
      "#!/usr/bin/env bpftrace\n#include <linux/sched.h>\n#define X(a) \\\n  ((a) + 1)\n"
      "struct S { int a; /* } */ char b[2]; }\n"
      "union U { int x; };\n"
      "config = { max_map_keys = 2 }\n"
      "let @a = hash(100)\n"
      "BEGIN { }");
  EXPECT_EQ(l.errors(), "");
  ASSERT_GE(l.toks.size(), 4u);
  EXPECT_EQ(l.toks[0].kind, TokenKind::CPreproc);
  EXPECT_EQ(l.toks[0].text, "#include <linux/sched.h>");
  EXPECT_EQ(l.toks[1].kind, TokenKind::CPreproc);
  EXPECT_EQ(l.toks[1].text, "#define X(a) \\\n  ((a) + 1)");
  EXPECT_EQ(l.toks[2].kind, TokenKind::CDefinition);
  EXPECT_EQ(l.toks[2].text, "struct S { int a; /* } */ char b[2]; };");
  EXPECT_EQ(l.toks[3].kind, TokenKind::CDefinition);
  EXPECT_EQ(l.toks[3].text, "union U { int x; };");
  EXPECT_EQ(l.texts().substr(l.texts().find("config")),
            "config = { max_map_keys = 2 } let @a = hash ( 100 ) BEGIN { }");
  EXPECT_EQ(l.find("config").kind, TokenKind::Ident);
  EXPECT_TRUE(l.find("config").starts_item);
  EXPECT_TRUE(l.find("let").starts_item);
  EXPECT_EQ(l.find("BEGIN").kind, TokenKind::AttachPoint);
  EXPECT_TRUE(l.find("BEGIN").starts_item);
}

TEST(Lexer, StructKeywordInsideProbeIsAnIdentifier) {
  Lexed l("BEGIN { $t = (struct task_struct *)curtask; }");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.find("struct").kind, TokenKind::Ident);
  EXPECT_EQ(l.find("task_struct").kind, TokenKind::Ident);
}

TEST(Lexer, Comments) {
  Lexed l("// c1\nBEGIN /* c2 */ { // c3\n x /* multi\nline */ }");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.texts(), "BEGIN { x }");
  EXPECT_EQ(range_str(l.find("}").range), "4:9-4:9");
}

TEST(Lexer, IntegerLiterals) {
  struct Case {
    const char *src;
    uint64_t value;
  } cases[] = {
      {"0", 0},
      {"42", 42},
      {"1_000_123", 1000123},
      {"0x1F", 31},
      {"0Xff_ff", 65535},
      {"010", 8},
      {"1e6", 1000000},
      {"2E3", 2000},
      {"10ns", 10},
      {"100us", 100000},
      {"5ms", 5000000},
      {"1s", 1000000000},
      {"1m", 60000000000},
      {"2h", 7200000000000},
      {"1d", 86400000000000},
      {"123UL", 123},
      {"123u", 123},
      {"123LL", 123},
      {"0x10ull", 16},
      {"18446744073709551615", 18446744073709551615ull},
  };
  for (const auto &c : cases) {
    IntLiteral lit = parse_int_literal(c.src);
    EXPECT_TRUE(lit.ok) << c.src << ": " << lit.error;
    EXPECT_EQ(lit.value, c.value) << c.src;
  }
}

TEST(Lexer, IntegerLiteralErrors) {
  struct Case {
    const char *src;
    const char *error;
  } cases[] = {
      {"18446744073709551616", "overflow error, maximum value is 18446744073709551615: 18446744073709551616"},
      {"1e21", "overflow error, maximum value is 18446744073709551615: 1e21"},
      {"10000000000m", "overflow error, maximum value is 18446744073709551615: 10000000000m"},
      {"5000000000u", "overflow error, maximum value is 4294967295: 5000000000u"},
      {"12e4", "coefficient part of scientific literal must be 1-9: 12e4"},
      {"1_", "trailing underscore in integer literal"},
      {"10q", "invalid integer suffix 'q'"},
      {"5e", "invalid integer suffix 'e'"},
      {"0x10s", "invalid integer suffix 's'"},
      {"0x", "invalid hexadecimal literal: 0x"},
      {"09", "invalid digit '9' in octal literal: 09"},
  };
  for (const auto &c : cases) {
    IntLiteral lit = parse_int_literal(c.src);
    EXPECT_FALSE(lit.ok) << c.src;
    EXPECT_EQ(lit.error, c.error) << c.src;
  }
}

TEST(Lexer, IntegerTokenValueAndErrorRange) {
  Lexed ok("BEGIN { $a = 0x10 + 5ms; }");
  EXPECT_EQ(ok.errors(), "");
  EXPECT_EQ(ok.find("0x10").value, 16u);
  EXPECT_EQ(ok.find("5ms").value, 5000000u);

  Lexed bad("BEGIN { $a = 99999999999999999999; }");
  EXPECT_EQ(bad.errors(), "1:14-1:33 overflow error, maximum value is 18446744073709551615: 99999999999999999999");
}

TEST(Lexer, TupleIndexIsNotAFloat) {
  Lexed l("BEGIN { $x = $kv.0.1; }");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.texts(), "BEGIN { $x = $kv . 0 . 1 ; }");

  Lexed f("BEGIN { $x = 1.5; }");
  EXPECT_EQ(f.errors(), "1:14-1:16 floating-point literals are not supported");
}

TEST(Lexer, StringEscapes) {
  Lexed l(R"(BEGIN { "a\n\t\\\"\x41\101\0z\r" })");
  EXPECT_EQ(l.errors(), "");
  const Token &s = l.toks[2];
  ASSERT_EQ(s.kind, TokenKind::String);
  EXPECT_EQ(s.str, std::string("a\n\t\\\"AA\0z\r", 10));
  EXPECT_EQ(s.text, R"("a\n\t\\\"\x41\101\0z\r")");
}

TEST(Lexer, CharLiteral) {
  Lexed l(R"(BEGIN { 'A' + '\n' + '\x7f' })");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.find("'A'").value, 65u);
  EXPECT_EQ(l.find("'A'").kind, TokenKind::Int);
  EXPECT_EQ(l.find("'\\n'").value, 10u);
  EXPECT_EQ(l.find("'\\x7f'").value, 127u);
}

TEST(Lexer, Errors) {
  struct Case {
    const char *src;
    const char *errors;
  } cases[] = {
      {"BEGIN { \"abc }", "1:9-1:14 unterminated string"},
      {"BEGIN { \"abc\n\" }", "1:9-1:12 unterminated string\n2:1-2:3 unterminated string"},
      {"BEGIN { /* x }", "1:9-1:10 unterminated comment"},
      {"BEGIN { $x = 5 # }", "1:16-1:16 invalid character '#'"},
      {"BEGIN { ` }", "1:9-1:9 invalid character '`'"},
      {"BEGIN { \x01 }", "1:9-1:9 invalid character '\\x01'"},
      {"BEGIN { \"\\q\" }", "1:10-1:11 invalid escape character '\\q'"},
      {"BEGIN { \"\\777\" }", "1:10-1:13 octal escape sequence out of range '\\777'"},
      {"BEGIN { \"\\xg\" }", "1:10-1:11 invalid hex escape sequence"},
      {"BEGIN { $0 }", "1:9-1:10 param $0 is out of integer range [1, 9223372036854775807]"},
      {"BEGIN { $ }", "1:9-1:9 expected identifier after '$'"},
      {"BEGIN { 10q }", "1:9-1:11 invalid integer suffix 'q'"},
      {"BEGIN { '' }", "1:9-1:10 empty character literal"},
      {"uprobe:\"/bin/x:f { }", "1:8-1:20 unterminated string"},
      {"struct S { int a;", "1:1-1:6 unterminated struct definition"},
  };
  for (const auto &c : cases) {
    Lexed l(c.src);
    EXPECT_EQ(l.errors(), c.errors) << c.src;
    for (const auto &d : l.diags.all()) EXPECT_EQ(d.kind, DiagKind::Lex) << c.src;
    EXPECT_EQ(l.toks.back().kind, TokenKind::Eof);
  }
}

TEST(Lexer, ErrorRendering) {
  Lexed l("BEGIN {\n  $x = \"abc;\n}");
  std::ostringstream out;
  l.diags.render(out);
  EXPECT_EQ(out.str(), "test.bt:2:8: error: unterminated string\n  $x = \"abc;\n       ^~~~~\n");
}

TEST(Lexer, StrayTokensAtTopLevelAreSingleItems) {
  Lexed l("} BEGIN { }");
  EXPECT_EQ(l.errors(), "");
  EXPECT_EQ(l.texts(), "} BEGIN { }");
  EXPECT_EQ(l.toks[0].kind, TokenKind::RBrace);
  EXPECT_EQ(l.toks[1].kind, TokenKind::AttachPoint);
  EXPECT_TRUE(l.toks[1].starts_item);
}

TEST(Lexer, EofRangeFollowsLastToken) {
  Lexed l("BEGIN {\n  x\n\n");
  EXPECT_EQ(range_str(l.toks.back().range), "2:4-2:4");
}

TEST(LeadingComment, SlashSlashLines) {
  EXPECT_EQ(extract_leading_comment("#!/usr/bin/env bpftrace\n// tool  Does X.\n//\tindented\n//\n// USAGE: tool\n\n"
                                    "// not part of it\nBEGIN {}"),
            "tool  Does X.\n\tindented\n\nUSAGE: tool");
}

TEST(LeadingComment, BlockComment) {
  EXPECT_EQ(extract_leading_comment("/*\n * biolatency.bt\tBlock I/O latency.\n *\n * USAGE: biolatency.bt\n */\n"
                                    "BEGIN {}"),
            "biolatency.bt\tBlock I/O latency.\n\nUSAGE: biolatency.bt");
  EXPECT_EQ(extract_leading_comment("/* one line */ BEGIN {}"), "one line");
}

TEST(LeadingComment, NoneWhenCodeComesFirst) {
  EXPECT_EQ(extract_leading_comment("BEGIN { } // trailing\n"), "");
  EXPECT_EQ(extract_leading_comment(""), "");
  EXPECT_EQ(extract_leading_comment("#!/bin/bpftrace\nBEGIN {}"), "");
}

}  // namespace
}  // namespace btc
