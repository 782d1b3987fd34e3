// Parser: every construct produces the expected AST (compared as s-expression dumps), precedence,
// both syntaxes, attach point splitting, and error messages with their ranges.
#include "parse/parser.h"

#include <gtest/gtest.h>

#include <sstream>

#include "ast/ast_dump.h"
#include "parse/attach_point.h"
#include "parsed_program.h"

namespace btc {
namespace {

using test_support::Parsed;

// The dump of a whole program that must parse without errors.
std::string dump_program(const std::string &src) {
  Parsed p(src);
  EXPECT_TRUE(p.ok) << src << "\n" << p.errors();
  EXPECT_EQ(p.errors(), "") << src;
  return ast::dump(p.program);
}

// The dump of the statements of `BEGIN { <body> }`, one per line.
std::string stmts(const std::string &body) {
  Parsed p("BEGIN { " + body + " }");
  EXPECT_TRUE(p.ok) << body << "\n" << p.errors();
  if (p.program.probes.size() != 1) return "<no probe>";
  std::string out;
  for (const auto &s : p.program.probes[0].body) out += (out.empty() ? "" : "\n") + ast::dump(*s);
  return out;
}

// The dump of one expression, parsed as the right-hand side of an assignment.
std::string expr(const std::string &e) {
  Parsed p("BEGIN { $r = " + e + "; }");
  EXPECT_TRUE(p.ok) << e << "\n" << p.errors();
  if (p.program.probes.size() != 1 || p.program.probes[0].body.size() != 1) return "<bad>";
  const ast::Stmt &s = *p.program.probes[0].body[0];
  if (s.kind != ast::StmtKind::Assign || !s.expr) return "<not an assignment>";
  return ast::dump(*s.expr);
}

// All diagnostics of a program that must fail, as "L:C-L:C message" lines.
std::string errors_of(const std::string &src) {
  Parsed p(src);
  EXPECT_FALSE(p.ok) << src;
  return p.errors();
}

// ---- programs and probes --------------------------------------------------------------------

TEST(Parser, MinimalProbe) {
  EXPECT_EQ(dump_program("BEGIN { printf(\"hi\\n\"); }"), "(probe (BEGIN) (call printf \"hi\\n\"))\n");
}

TEST(Parser, BothSpellingsOfBeginEnd) {
  EXPECT_EQ(dump_program("begin { exit() } end { clear(@a) }"),
            "(probe (begin) (call exit))\n(probe (end) (call clear @a))\n");
  EXPECT_EQ(dump_program("BEGIN{}END{}"), "(probe (BEGIN))\n(probe (END))\n");
}

TEST(Parser, ProbeWithSeveralAttachPointsAndPredicate) {
  EXPECT_EQ(dump_program("tracepoint:syscalls:sys_enter_open,\ntracepoint:syscalls:sys_enter_openat\n"
                         "/comm == \"bash\"/\n{ @[comm] = count(); }"),
            "(probe (tracepoint:syscalls:sys_enter_open tracepoint:syscalls:sys_enter_openat) "
            "(pred (== comm \"bash\")) (= (@ comm) (call count)))\n");
  EXPECT_EQ(dump_program("kprobe:f, { }"), "(probe (kprobe:f))\n");  // trailing comma
}

TEST(Parser, PredicateWithDivision) {
  EXPECT_EQ(dump_program("kprobe:f / arg0 / 2 > 1 / { }"), "(probe (kprobe:f) (pred (> (/ arg0 2) 1)))\n");
  EXPECT_EQ(dump_program("kprobe:f/@start[tid]/{}"), "(probe (kprobe:f) (pred (@start tid)))\n");
}

TEST(Parser, ProbeRange) {
  Parsed p("BEGIN\n{\n  x;\n}\n");
  ASSERT_TRUE(p.ok);
  const ast::Probe &probe = p.program.probes[0];
  EXPECT_EQ(probe.range.begin.line, 1);
  EXPECT_EQ(probe.range.begin.col, 1);
  EXPECT_EQ(probe.range.end.line, 4);
  EXPECT_EQ(probe.range.end.col, 1);
  EXPECT_EQ(probe.attach_points[0].range.end.col, 5);
}

TEST(Parser, Preamble) {
  EXPECT_EQ(dump_program("#!/usr/bin/env bpftrace\n"
                         "// tool: does things\n"
                         "#include <linux/sched.h>\n"
                         "#include \"local.h\"\n"
                         "#define FOO 1\n"
                         "struct S { int a; }\n"
                         "enum E { A, B };\n"
                         "config = {\n  max_map_keys = 1e4;\n  stack_mode = perf;\n  license = \"GPL\";\n"
                         "  print_maps_on_exit = false\n}\n"
                         "let @a = lruhash(100);\nlet @b = hash(2)\n"
                         "BEGIN { }"),
            "(comment \"tool: does things\")\n"
            "(c \"#include <linux/sched.h>\")\n"
            "(c \"#include \\\"local.h\\\"\")\n"
            "(c \"#define FOO 1\")\n"
            "(c \"struct S { int a; };\")\n"
            "(c \"enum E { A, B };\")\n"
            "(config (max_map_keys \"10000\") (stack_mode \"perf\") (license \"GPL\") (print_maps_on_exit \"false\"))\n"
            "(map-decl @a lruhash 100)\n"
            "(map-decl @b hash 2)\n"
            "(probe (BEGIN))\n");
}

TEST(Parser, ConfigAndMapDeclRanges) {
  Parsed p("config = { a = 1 }\nlet @m = hash(7);\nBEGIN {}");
  ASSERT_TRUE(p.ok) << p.errors();
  ASSERT_EQ(p.program.config.size(), 1u);
  EXPECT_EQ(p.program.config[0].range.begin.col, 12);
  EXPECT_EQ(p.program.config[0].range.end.col, 16);
  ASSERT_EQ(p.program.map_decls.size(), 1u);
  EXPECT_EQ(p.program.map_decls[0].range.begin.line, 2);
  EXPECT_EQ(p.program.map_decls[0].range.end.col, 17);
}

TEST(Parser, RealToolShape) {
  // The shape of upstream's tools: #ifdef'd includes, for over a range without parentheses, let.
  EXPECT_EQ(dump_program("#ifndef BPFTRACE_HAVE_BTF\n#include <net/sock.h>\n#else\n#define AF_INET 2 /* IPv4 */\n"
                         "#endif\n"
                         "kprobe:tcp_connect\n{\n  let $daddr;\n  $sk = (struct sock*)arg0;\n"
                         "  if ($sk.__sk_common.skc_family == AF_INET) { $daddr = ntop($sk.__sk_common.skc_daddr); }\n"
                         "  for $j : ((uint64)0)..((uint64)5) { @p[tid, $j] = 1; }\n}\n"),
            "(c \"#ifndef BPFTRACE_HAVE_BTF\")\n(c \"#include <net/sock.h>\")\n(c \"#else\")\n"
            "(c \"#define AF_INET 2 /* IPv4 */\")\n(c \"#endif\")\n"
            "(probe (kprobe:tcp_connect) (let $daddr) (= $sk (cast <struct sock *> arg0)) "
            "(if (== (. (. $sk __sk_common) skc_family) AF_INET) (then (= $daddr (call ntop (. (. $sk __sk_common) "
            "skc_daddr))))) "
            "(for $j (.. (cast <uint64> 0) (cast <uint64> 5)) (= (@p tid $j) 1)))\n");
}

// ---- statements -------------------------------------------------------------------------------

TEST(Parser, Assignments) {
  EXPECT_EQ(stmts("$x = 1; @m = 2; @m[1, \"a\"] = 3; @ = 4; @[pid] = 5"),
            "(= $x 1)\n(= @m 2)\n(= (@m 1 \"a\") 3)\n(= @ 4)\n(= (@ pid) 5)");
  EXPECT_EQ(stmts("$x += 1; $x -= 1; $x *= 2; $x /= 2; $x %= 2; $x &= 1; $x |= 1; $x ^= 1; $x <<= 1; @y >>= 1"),
            "(+= $x 1)\n(-= $x 1)\n(*= $x 2)\n(/= $x 2)\n(%= $x 2)\n(&= $x 1)\n(|= $x 1)\n(^= $x 1)\n"
            "(<<= $x 1)\n(>>= @y 1)");
}

TEST(Parser, ExpressionStatements) {
  EXPECT_EQ(stmts("@x++; --$y; printf(\"%d\\n\", pid); exit()"),
            "(post++ @x)\n(pre-- $y)\n(call printf \"%d\\n\" pid)\n(call exit)");
  EXPECT_EQ(stmts("$a == 1 ? print(\"t\") : print(\"f\")"), "(? (== $a 1) (call print \"t\") (call print \"f\"))");
  EXPECT_EQ(stmts("_ = has_key(@a, 1)"), "(call has_key @a 1)");
}

TEST(Parser, Let) {
  EXPECT_EQ(stmts("let $a; let $b = 1; let $c: uint32 = 5; let $d: struct task_struct *; let $e: int8[4]"),
            "(let $a)\n(let $b 1)\n(let $c <uint32> 5)\n(let $d <struct task_struct *>)\n(let $e <int8[4]>)");
}

TEST(Parser, IfElseBothSyntaxes) {
  std::string want = "(if (> $x 1) (then (= $y 1)) (else (if (== $x 0) (then (= $y 2)) (else (= $y 3)))))";
  EXPECT_EQ(stmts("if ($x > 1) { $y = 1 } else if ($x == 0) { $y = 2; } else { $y = 3 }"), want);
  EXPECT_EQ(stmts("if $x > 1 { $y = 1 } else if $x == 0 { $y = 2; } else { $y = 3 }"), want);
  EXPECT_EQ(stmts("if (errname) { x }"), "(if errname (then x))");
  EXPECT_EQ(stmts("if (1) {} else {}"), "(if 1 (then) (else))");
}

TEST(Parser, Loops) {
  EXPECT_EQ(stmts("while ($i < 10) { $i++; if ($i == 5) { break } continue; }"),
            "(while (< $i 10) (post++ $i) (if (== $i 5) (then (break))) (continue))");
  EXPECT_EQ(stmts("unroll(3) { @c++ } unroll 2 { }"), "(unroll 3 (post++ @c))\n(unroll 2)");
  EXPECT_EQ(stmts("unroll($2) { @c++ }"), "(unroll $2 (post++ @c))");
  EXPECT_EQ(stmts("for ($kv : @m) { print($kv.0); print($kv.1) }"),
            "(for $kv @m (call print (. $kv 0)) (call print (. $kv 1)))");
  EXPECT_EQ(stmts("for ($i : 0..10) { } for $cpu : 0..ncpus { }"), "(for $i (.. 0 10))\n(for $cpu (.. 0 ncpus))");
  EXPECT_EQ(stmts("for ($i : $a..-1) { }"), "(for $i (.. $a (- 1)))");
}

TEST(Parser, ReturnBlocksAndSeparators) {
  EXPECT_EQ(stmts("return"), "(return)");
  EXPECT_EQ(stmts("return;"), "(return)");
  EXPECT_EQ(stmts("return 1;"), "(return 1)");
  EXPECT_EQ(stmts("{ $x = 1; } $y = 2;; ; if (1) { } ; $z = 3"), "(block (= $x 1))\n(= $y 2)\n(if 1 (then))\n(= $z 3)");
  EXPECT_EQ(stmts("if (1) { } $z = 3"), "(if 1 (then))\n(= $z 3)");
}

TEST(Parser, StatementRanges) {
  Parsed p("BEGIN {\n  @x[pid] = count();\n  if (1) {\n  }\n}");
  ASSERT_TRUE(p.ok) << p.errors();
  const ast::Stmt &assign = *p.program.probes[0].body[0];
  EXPECT_EQ(assign.range.begin.line, 2);
  EXPECT_EQ(assign.range.begin.col, 3);
  EXPECT_EQ(assign.range.end.col, 19);  // the statement ends before its ';'
  EXPECT_EQ(assign.lhs->range.end.col, 9);
  const ast::Stmt &branch = *p.program.probes[0].body[1];
  EXPECT_EQ(branch.range.begin.line, 3);
  EXPECT_EQ(branch.range.end.line, 4);
  EXPECT_EQ(branch.range.end.col, 3);
}

// ---- expressions ------------------------------------------------------------------------------

TEST(Parser, Precedence) {
  EXPECT_EQ(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(expr("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(expr("8 / 4 % 3 * 2"), "(* (% (/ 8 4) 3) 2)");
  EXPECT_EQ(expr("a || b && c"), "(|| a (&& b c))");
  EXPECT_EQ(expr("a && b || c"), "(|| (&& a b) c)");
  EXPECT_EQ(expr("a | b ^ c & d"), "(| a (^ b (& c d)))");
  EXPECT_EQ(expr("a & b == c"), "(& a (== b c))");
  EXPECT_EQ(expr("a == b < c"), "(== a (< b c))");
  EXPECT_EQ(expr("a != b >= c"), "(!= a (>= b c))");
  EXPECT_EQ(expr("a < b << 1"), "(< a (<< b 1))");
  EXPECT_EQ(expr("a << 1 + 2"), "(<< a (+ 1 2))");
  EXPECT_EQ(expr("a >> b <= c > d"), "(> (<= (>> a b) c) d)");
  EXPECT_EQ(expr("(1 + 2) * 3"), "(* (+ 1 2) 3)");
  EXPECT_EQ(expr("a ? b : c ? d : e"), "(? a b (? c d e))");
  EXPECT_EQ(expr("a || b ? c + 1 : d"), "(? (|| a b) (+ c 1) d)");
  EXPECT_EQ(expr("$c ?: 1"), "(? $c $c 1)");
  EXPECT_EQ(expr("$a + 1 ?: $b ?: 2"), "(? (+ $a 1) (+ $a 1) (? $b $b 2))");
}

TEST(Parser, UnaryOperators) {
  EXPECT_EQ(expr("-a * b"), "(* (- a) b)");
  EXPECT_EQ(expr("!a && ~b"), "(&& (! a) (~ b))");
  EXPECT_EQ(expr("*$p + 1"), "(+ (* $p) 1)");
  EXPECT_EQ(expr("- -1"), "(- (- 1))");
  EXPECT_EQ(expr("&$x"), "(& $x)");
  EXPECT_EQ(expr("&@m"), "(& @m)");
  EXPECT_EQ(expr("$x++ + ++$y"), "(+ (post++ $x) (pre++ $y))");
  EXPECT_EQ(expr("--@m[1]"), "(pre-- (@m 1))");
  EXPECT_EQ(expr("-(1 + 2)"), "(- (+ 1 2))");
}

TEST(Parser, Casts) {
  EXPECT_EQ(expr("(uint32)$x + 1"), "(+ (cast <uint32> $x) 1)");
  EXPECT_EQ(expr("(struct task_struct *)curtask"), "(cast <struct task_struct *> curtask)");
  EXPECT_EQ(expr("(struct task_struct*)arg0"), "(cast <struct task_struct *> arg0)");
  EXPECT_EQ(expr("(int8)-1"), "(cast <int8> (- 1))");
  EXPECT_EQ(expr("(uint8[8])$a"), "(cast <uint8[8]> $a)");
  EXPECT_EQ(expr("(int8[])\"abc\""), "(cast <int8[]> \"abc\")");
  EXPECT_EQ(expr("(uint64 **)arg0"), "(cast <uint64 **> arg0)");
  EXPECT_EQ(expr("(union u *)arg0"), "(cast <union u *> arg0)");
  EXPECT_EQ(expr("(pid_t)arg0"), "(cast <pid_t> arg0)");
  EXPECT_EQ(expr("(uint64)(int32)$x"), "(cast <uint64> (cast <int32> $x))");
  EXPECT_EQ(expr("((struct sock *)arg0)->sk_family"), "(-> (cast <struct sock *> arg0) sk_family)");
  EXPECT_EQ(expr("(struct mount*)(((uint64)$v) - offsetof(struct mount, mnt))"),
            "(cast <struct mount *> (- (cast <uint64> $v) (offsetof <struct mount> mnt)))");
  // A builtin in parentheses is a value; a bare name before an operand is a cast.
  EXPECT_EQ(expr("(pid) * 2"), "(* pid 2)");
  EXPECT_EQ(expr("(myident)*$a"), "(cast <myident> (* $a))");
  EXPECT_EQ(expr("(myident)"), "myident");
  EXPECT_EQ(expr("(nsecs - $start) / 1000"), "(/ (- nsecs $start) 1000)");
}

TEST(Parser, PostfixOperators) {
  EXPECT_EQ(expr("args->filename"), "(-> args filename)");
  EXPECT_EQ(expr("args.filename"), "(. args filename)");
  EXPECT_EQ(expr("$s.a.b[1]->c"), "(-> ([] (. (. $s a) b) 1) c)");
  EXPECT_EQ(expr("$kv.0.1"), "(. (. $kv 0) 1)");
  EXPECT_EQ(expr("@m[1].x"), "(. (@m 1) x)");
  EXPECT_EQ(expr("$t.if"), "(. $t if)");
  EXPECT_EQ(expr("str(args.filename)[0]"), "([] (call str (. args filename)) 0)");
  EXPECT_EQ(expr("\"/\"[0]"), "([] \"/\" 0)");
}

TEST(Parser, PrimaryExpressions) {
  EXPECT_EQ(expr("$1 + $# + $x"), "(+ (+ $1 $#) $x)");
  EXPECT_EQ(expr("true && false"), "(&& true false)");
  EXPECT_EQ(expr("'a'"), "97");
  EXPECT_EQ(expr("\"a\\tb\\x41\\101\\\\\\\"\""), "\"a\\tbAA\\\\\\\"\"");
  EXPECT_EQ(expr("pid + comm + arg0 + retval + nsecs + kstack"),
            "(+ (+ (+ (+ (+ pid comm) arg0) retval) nsecs) kstack)");
  EXPECT_EQ(expr("count()"), "(call count)");
  EXPECT_EQ(expr("hist(arg2, 2)"), "(call hist arg2 2)");
  EXPECT_EQ(expr("kstack(perf, 3)"), "(call kstack perf 3)");
  EXPECT_EQ(expr("@"), "@");
  EXPECT_EQ(expr("@[pid, comm]"), "(@ pid comm)");
  EXPECT_EQ(expr("@m[(1, 2)]"), "(@m (tuple 1 2))");
}

TEST(Parser, IntegerLiterals) {
  EXPECT_EQ(expr("1_000"), "1000");
  EXPECT_EQ(expr("0x10"), "16");
  EXPECT_EQ(expr("010"), "8");
  EXPECT_EQ(expr("1e6"), "1000000");
  EXPECT_EQ(expr("5ms"), "5000000");
  EXPECT_EQ(expr("1s"), "1000000000");
  EXPECT_EQ(expr("10ns + 100us"), "(+ 10 100000)");
  EXPECT_EQ(expr("18446744073709551615"), "18446744073709551615");

  Parsed p("BEGIN { $a = 18446744073709551615; $b = 1_000; }");
  ASSERT_TRUE(p.ok);
  const ast::Expr &big = *p.program.probes[0].body[0]->expr;
  EXPECT_EQ(big.kind, ast::ExprKind::Int);
  EXPECT_TRUE(big.is_unsigned_literal);
  EXPECT_EQ(big.uval, 18446744073709551615ull);
  const ast::Expr &small = *p.program.probes[0].body[1]->expr;
  EXPECT_FALSE(small.is_unsigned_literal);
  EXPECT_EQ(small.ival, 1000);
  EXPECT_EQ(small.uval, 1000u);
  EXPECT_EQ(small.text, "1_000");
}

TEST(Parser, Tuples) {
  EXPECT_EQ(expr("(1, \"a\")"), "(tuple 1 \"a\")");
  EXPECT_EQ(expr("(1,)"), "(tuple 1)");
  EXPECT_EQ(expr("()"), "(tuple)");
  EXPECT_EQ(expr("((1, 2), 3,)"), "(tuple (tuple 1 2) 3)");
}

TEST(Parser, SizeofAndOffsetof) {
  EXPECT_EQ(expr("sizeof(uint32)"), "(sizeof <uint32>)");
  EXPECT_EQ(expr("sizeof(struct task_struct)"), "(sizeof <struct task_struct>)");
  EXPECT_EQ(expr("sizeof(uint32*[10])"), "(sizeof <uint32 *[10]>)");
  EXPECT_EQ(expr("sizeof($x)"), "(sizeof $x)");
  EXPECT_EQ(expr("sizeof(pid)"), "(sizeof pid)");
  EXPECT_EQ(expr("sizeof($x + 1)"), "(sizeof (+ $x 1))");
  EXPECT_EQ(expr("offsetof(struct task_struct, comm)"), "(offsetof <struct task_struct> comm)");
  EXPECT_EQ(expr("offsetof(struct s, a.b.c)"), "(offsetof <struct s> a.b.c)");
  EXPECT_EQ(expr("offsetof($s, a)"), "(offsetof $s a)");
}

TEST(Parser, ExpressionRanges) {
  Parsed p("BEGIN { $r = (uint32)$a + @m[1, 2]->x; }");
  ASSERT_TRUE(p.ok) << p.errors();
  const ast::Expr &sum = *p.program.probes[0].body[0]->expr;
  EXPECT_EQ(sum.range.begin.col, 14);
  EXPECT_EQ(sum.range.end.col, 37);
  EXPECT_EQ(sum.args[0]->range.begin.col, 14);  // the cast, from its '('
  EXPECT_EQ(sum.args[0]->range.end.col, 23);
  EXPECT_EQ(sum.args[1]->range.begin.col, 27);
  EXPECT_EQ(sum.args[1]->args[0]->range.end.col, 34);  // @m[1, 2]
}

// ---- attach points ----------------------------------------------------------------------------

std::string ap(const std::string &raw) { return ast::dump(split_attach_point(raw, SourceRange{})); }

TEST(AttachPoints, Splitting) {
  EXPECT_EQ(ap("BEGIN"), "provider=BEGIN target= func= parts=[]");
  EXPECT_EQ(ap("tracepoint:syscalls:sys_enter_openat"),
            "provider=tracepoint target=syscalls func=sys_enter_openat parts=[syscalls,sys_enter_openat]");
  EXPECT_EQ(ap("t:syscalls:sys_enter_*"), "provider=t target=syscalls func=sys_enter_* parts=[syscalls,sys_enter_*]");
  EXPECT_EQ(ap("uprobe:/bin/bash:readline"),
            "provider=uprobe target=/bin/bash func=readline parts=[/bin/bash,readline]");
  EXPECT_EQ(ap("uprobe:/usr/lib/libc.so.6:malloc+16"),
            "provider=uprobe target=/usr/lib/libc.so.6 func=malloc offset=16 parts=[/usr/lib/libc.so.6,malloc+16]");
  EXPECT_EQ(ap("uprobe:/bin/x:f+0x10"), "provider=uprobe target=/bin/x func=f offset=16 parts=[/bin/x,f+0x10]");
  EXPECT_EQ(ap("u:libc:malloc"), "provider=u target=libc func=malloc parts=[libc,malloc]");
  EXPECT_EQ(ap("interval:s:1"), "provider=interval target=s func=1 parts=[s,1]");
  EXPECT_EQ(ap("interval:1s"), "provider=interval target= func=1s parts=[1s]");
  EXPECT_EQ(ap("i:ms:100"), "provider=i target=ms func=100 parts=[ms,100]");
  EXPECT_EQ(ap("profile:hz:99"), "provider=profile target=hz func=99 parts=[hz,99]");
  EXPECT_EQ(ap("kprobe:do_sys_open"), "provider=kprobe target= func=do_sys_open parts=[do_sys_open]");
  EXPECT_EQ(ap("kretprobe:vfs_read"), "provider=kretprobe target= func=vfs_read parts=[vfs_read]");
  EXPECT_EQ(ap("kprobe:do_sys_open+8"), "provider=kprobe target= func=do_sys_open offset=8 parts=[do_sys_open+8]");
  EXPECT_EQ(ap("fentry:vmlinux:vfs_read"), "provider=fentry target=vmlinux func=vfs_read parts=[vmlinux,vfs_read]");
  EXPECT_EQ(ap("usdt:/path:provider:name"), "provider=usdt target=/path func=name parts=[/path,provider,name]");
  EXPECT_EQ(ap("software:page-faults:100"), "provider=software target=page-faults func=100 parts=[page-faults,100]");
  EXPECT_EQ(ap("rawtracepoint:sched_switch"), "provider=rawtracepoint target= func=sched_switch parts=[sched_switch]");
  EXPECT_EQ(ap("self:signal:SIGUSR1"), "provider=self target=signal func=SIGUSR1 parts=[signal,SIGUSR1]");
  EXPECT_EQ(ap("uprobe:/bin/x:\"ns::f\""), "provider=uprobe target=/bin/x func=ns::f parts=[/bin/x,ns::f]");
  EXPECT_EQ(ap("uprobe:/bin/x:ns::C::f"), "provider=uprobe target=/bin/x func=ns::C::f parts=[/bin/x,ns::C::f]");
  EXPECT_EQ(ap("uprobe:/bin/x:cpp:\"A::b\""), "provider=uprobe target=/bin/x func=A::b parts=[/bin/x,cpp,A::b]");
  EXPECT_EQ(ap("uprobe:\"/a b/c\\\"d\":f"), "provider=uprobe target=/a b/c\"d func=f parts=[/a b/c\"d,f]");
  EXPECT_EQ(ap("software:faults:"), "provider=software target=faults func= parts=[faults,]");
  EXPECT_EQ(ap("kprobe:f+x"), "provider=kprobe target= func=f+x parts=[f+x]");
}

// uprobe:BIN@FILE:LINE[:COL]: '@' is a piece of its own (only for uprobes, and not inside quotes).
TEST(AttachPoints, SourceLocations) {
  EXPECT_EQ(ap("uprobe:/bin/x@x.c:12"), "provider=uprobe target=/bin/x func= parts=[/bin/x,@,x.c,12]");
  EXPECT_EQ(ap("u:./a/b@src/m.c:3:7"), "provider=u target=./a/b func= parts=[./a/b,@,src/m.c,3,7]");
  EXPECT_EQ(ap("uretprobe:/bin/x@x.c:1"), "provider=uretprobe target=/bin/x func= parts=[/bin/x,@,x.c,1]");
  EXPECT_EQ(ap("uprobe:\"/a@b\":f"), "provider=uprobe target=/a@b func=f parts=[/a@b,f]");
  EXPECT_EQ(ap("usdt:/bin/x:p@q:n"), "provider=usdt target=/bin/x func=n parts=[/bin/x,p@q,n]");
}

TEST(AttachPoints, FromParsedProgram) {
  Parsed p("uprobe:/usr/lib/libc.so.6:malloc+16 /arg0 > 1/ { }");
  ASSERT_TRUE(p.ok) << p.errors();
  const ast::AttachPoint &a = p.program.probes[0].attach_points[0];
  EXPECT_EQ(a.raw, "uprobe:/usr/lib/libc.so.6:malloc+16");
  EXPECT_EQ(a.func, "malloc");
  EXPECT_TRUE(a.has_offset);
  EXPECT_EQ(a.offset, 16u);
  EXPECT_EQ(a.range.begin.col, 1);
  EXPECT_EQ(a.range.end.col, 35);
}

// ---- block expressions, if expressions, macros ------------------------------------------------

TEST(Parser, BlockExpressions) {
  EXPECT_EQ(expr("{ let $a = 1; $a + 2 }"), "(blockexpr (let $a 1) (value (+ $a 2)))");
  EXPECT_EQ(expr("{ 1 }"), "(blockexpr (value 1))");
  EXPECT_EQ(expr("{ f(); }"), "(blockexpr (call f) (novalue))");
  EXPECT_EQ(expr("{ if (1) { $b = 1 } $b }"), "(blockexpr (if 1 (then (= $b 1))) (value $b))");
  EXPECT_EQ(expr("{ $x = 1; $x } + { 2 }"), "(+ (blockexpr (= $x 1) (value $x)) (blockexpr (value 2)))");
  // As a condition and in `_ = ...`.
  EXPECT_EQ(stmts("if ({ let $a = true; $a }) { print(1) }"),
            "(if (blockexpr (let $a true) (value $a)) (then (call print 1)))");
  EXPECT_EQ(stmts("_ = { print(1); 1 }"), "(blockexpr (call print 1) (value 1))");
  // A probe body's last statement without ';' stays a statement.
  EXPECT_EQ(stmts("$x = 1; $x"), "(= $x 1)\n$x");
}

TEST(Parser, Records) {
  EXPECT_EQ(expr("(a=1, b=\"x\")"), "(record (= a 1) (= b \"x\"))");
  EXPECT_EQ(expr("(a=1,)"), "(record (= a 1))");
  EXPECT_EQ(expr("(a=(1, 2), b={ 3 }).a"), "(. (record (= a (tuple 1 2)) (= b (blockexpr (value 3)))) a)");
  EXPECT_EQ(expr("(a == 1)"), "(== a 1)");
}

TEST(Parser, IfExpressions) {
  EXPECT_EQ(expr("if $a > 1 { 10 } else { 20 }"), "(? (> $a 1) (blockexpr (value 10)) (blockexpr (value 20)))");
  EXPECT_EQ(expr("if (1) { 1 } else if (2) { 2 } else { 3 }"),
            "(? 1 (blockexpr (value 1)) (? 2 (blockexpr (value 2)) (blockexpr (value 3))))");
  EXPECT_EQ(expr("if (1) { f(); }"), "(? 1 (blockexpr (call f) (novalue)) (blockexpr (novalue)))");
  // A final if/else inside a block expression is its value when both branches have one.
  EXPECT_EQ(expr("if (1) { if (2) { 3 } else { 4 } } else { 5 }"),
            "(? 1 (blockexpr (value (? 2 (blockexpr (value 3)) (blockexpr (value 4))))) (blockexpr (value 5)))");
  EXPECT_EQ(expr("{ if (1) { f(); } else { g(); } }"),
            "(blockexpr (if 1 (then (call f)) (else (call g))) (novalue))");
}

TEST(Parser, TypeofTypes) {
  EXPECT_EQ(expr("(typeof(uint8) *)1"), "(cast <uint8 *> 1)");
  EXPECT_EQ(expr("(typeof(struct s *))1"), "(cast <struct s *> 1)");
  EXPECT_EQ(expr("sizeof(typeof(uint64 *)[2])"), "(sizeof <uint64 *[2]>)");
  EXPECT_EQ(expr("m(typeof(uint64*))"), "(call m (call typeof <uint64 *>))");
  EXPECT_EQ(expr("typeof($x + 1)"), "(call typeof (+ $x 1))");
  EXPECT_EQ(stmts("let $a: typeof(size_t) = 1"), "(let $a <size_t> 1)");
}

TEST(Parser, MacroDefinitions) {
  EXPECT_EQ(dump_program("macro add_one(x) { x + 1 }\nmacro inc($x, @m) { $x += 1; @m++; }\nBEGIN { }"),
            "(macro add_one (params x) (blockexpr (value (+ x 1))))\n"
            "(macro inc (params $x @m) (blockexpr (+= $x 1) (post++ @m) (novalue)))\n"
            "(probe (BEGIN))\n");
  EXPECT_EQ(dump_program("BEGIN { } macro one() { 1 }"),
            "(macro one (params) (blockexpr (value 1)))\n(probe (BEGIN))\n");
}

// ---- errors -----------------------------------------------------------------------------------

TEST(ParserErrors, UnexpectedTokens) {
  struct Case {
    const char *src;
    const char *errors;
  } cases[] = {
      {"BEGIN { $x = 1 $y = 2 }", "1:16-1:17 unexpected '$y', expecting ';'"},
      {"BEGIN { printf(\"a\")", "1:20-1:20 unexpected end of file, expecting '}'"},
      {"BEGIN { $x = ; }", "1:14-1:14 unexpected ';', expecting expression"},
      {"BEGIN { 1 + }", "1:13-1:13 unexpected '}', expecting expression"},
      {"kprobe:f /pid == 1 { }", "1:20-1:20 unexpected '{', expecting '/'"},
      {"BEGIN }", "1:7-1:7 unexpected '}', expecting ',', '/' or '{'"},
      {"BEGIN { (1 + 2 }", "1:16-1:16 unexpected '}', expecting ')'"},
      {"BEGIN { @x[1 = 2; }", "1:14-1:14 unexpected '=', expecting ']'"},
      {"BEGIN { f(1 2) }", "1:13-1:13 unexpected '2', expecting ')'"},
      {"BEGIN { if 1 $x = 1 }", "1:14-1:15 unexpected '$x', expecting '{'"},
      {"BEGIN { if (1) { } else $x }", "1:25-1:26 unexpected '$x', expecting '{' or 'if'"},
      {"BEGIN { for (1 : @m) { } }", "1:14-1:14 unexpected '1', expecting variable"},
      {"BEGIN { for ($k : pid) { } }", "1:19-1:21 expected a map or a range (begin..end) to iterate over"},
      {"BEGIN { unroll($x) { } }", "1:16-1:17 unexpected '$x', expecting integer literal"},
      {"BEGIN { $x. }", "1:13-1:13 unexpected '}', expecting field name"},
      {"BEGIN { let x = 1; }", "1:13-1:13 unexpected 'x', expecting variable"},
      {"BEGIN { $t = (struct x *); }", "1:26-1:26 unexpected ';', expecting expression after cast to 'struct x *'"},
      {"BEGIN { print(\"a\") print(\"b\") }", "1:20-1:24 unexpected 'print', expecting ';'"},
      {"BEGIN { } END", "1:14-1:14 unexpected end of file, expecting ',', '/' or '{'"},
      {"5", "1:1-1:1 unexpected '5', expecting attach point"},
      {"config = { 1 = 2 }", "1:12-1:12 unexpected '1', expecting config key"},
      {"config = { a = 1 b = 2 }", "1:18-1:18 unexpected 'b', expecting ';'"},
      {"let @a = hash(x);", "1:15-1:15 unexpected 'x', expecting integer"},
  };
  for (const auto &c : cases) {
    EXPECT_EQ(errors_of(c.src), c.errors) << c.src;
    Parsed p(c.src);
    for (const auto &d : p.diags.all()) EXPECT_EQ(d.kind, DiagKind::Parse) << c.src;
  }
}

TEST(ParserErrors, SemanticShapeErrors) {
  struct Case {
    const char *src;
    const char *errors;
  } cases[] = {
      {"BEGIN { 1 = 2; }", "1:9-1:9 invalid assignment target: only $variables and @maps can be assigned to"},
      {"BEGIN { $x.y = 1; }", "1:9-1:12 invalid assignment target: only $variables and @maps can be assigned to"},
      {"BEGIN { 1++; }", "1:10-1:11 increment/decrement requires a variable or map"},
      {"BEGIN { ++pid; }", "1:11-1:13 increment/decrement requires a variable or map"},
      {"BEGIN { $p = &1; }", "1:15-1:15 address-of operator (&) can only be used on a map or variable"},
      {"macro f(pid) { 1 }", "1:9-1:11 builtin 'pid' can't be used as a macro argument"},
      {"macro f(1) { 1 }", "1:9-1:9 unexpected '1', expecting macro argument ($var, @map, or identifier)"},
      {"macro f() 1", "1:11-1:11 unexpected '1', expecting '{'"},
      {"fn f(): int64 { return 1; }", "1:1-1:2 functions (fn) are not supported yet"},
      {"BEGIN { import \"x.bt\"; }",
       "1:9-1:14 Import statements that are not at the top level are primarily for the standard library; btc "
       "supports imports at the top of the script only"},
      {"BEGIN {} import \"x.bt\";", "1:10-1:15 root imports must appear before probes and functions"},
      {"macro m() { 1 } import \"x.bt\";", "1:17-1:22 root imports must appear before probes and functions"},
      {"let @m = hash(2); import \"x.bt\";", "1:19-1:24 root imports must appear before probes and functions"},
      {"import \"x.bt\";\nstruct S { int a; }", "2:1-2:19 C definitions must appear before probes and functions"},
      {"import x;", "1:8-1:8 expected string after 'import'"},
      {"import \"x.bt\" BEGIN {}", "1:15-1:19 expected ';' after import"},
      {"BEGIN {} #include <x.h>", "1:10-1:23 C definitions must appear before probes and functions"},
      {"config = { a = 1 }\nstruct S { int a; }", "2:1-2:19 C definitions must appear before probes and functions"},
      {"BEGIN {} config = { a = 1 }", "1:10-1:15 config must appear before probes and functions"},
      {"config = { a = 1 } config = { b = 2 }", "1:20-1:25 duplicate config block"},
      {"let $x = 1;", "1:1-1:3 root-level let statements need to be map declarations, e.g. let @a = hash(2);"},
      {"BEGIN { let @m = hash(1); }", "1:13-1:14 map declarations are only allowed at the top level"},
      {"BEGIN { $x = (a=1, 2); }", "1:20-1:20 unexpected '2', expecting field name"},
      {"BEGIN { $x = $t.0x1; }", "1:17-1:19 invalid tuple index '0x1'"},
  };
  for (const auto &c : cases) EXPECT_EQ(errors_of(c.src), c.errors) << c.src;
}

TEST(Parser, RootImports) {
  EXPECT_EQ(dump_program("struct S { int a; }\nimport \"a.bt\";\nconfig = { b = 1 }\nimport \"lib\";\n"
                         "import \"c.bpf.c\"; BEGIN {}"),
            "(c \"struct S { int a; };\")\n(config (b \"1\"))\n(import \"a.bt\")\n(import \"lib\")\n"
            "(import \"c.bpf.c\")\n(probe (BEGIN))\n");
  Parsed p("config = { a = 1 }\n  import \"x/y.h\";");
  ASSERT_TRUE(p.ok) << p.errors();
  ASSERT_EQ(p.program.imports.size(), 1u);
  EXPECT_EQ(p.program.imports[0].path, "x/y.h");
  EXPECT_EQ(p.program.imports[0].range.begin.line, 2);
  EXPECT_EQ(p.program.imports[0].range.begin.col, 3);
  EXPECT_EQ(p.program.imports[0].range.end.col, 16);
  EXPECT_EQ(p.program.config_range.begin.col, 1);
}

TEST(ParserErrors, LexErrorsStopBeforeParsing) {
  EXPECT_EQ(errors_of("BEGIN { \"abc }\nEND { $x = ; }"), "1:9-1:14 unterminated string");
  Parsed p("BEGIN { $x = 10q; }");
  ASSERT_EQ(p.diags.all().size(), 1u);
  EXPECT_EQ(p.diags.all()[0].kind, DiagKind::Lex);
}

TEST(ParserErrors, RecoversAtTheNextTopLevelItem) {
  Parsed p("BEGIN { $x = ; }\nEND { $y = 1 }\nkprobe:f { 1 + }\n} interval:s:1 { }");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.errors(),
            "1:14-1:14 unexpected ';', expecting expression\n"
            "3:16-3:16 unexpected '}', expecting expression");
  ASSERT_EQ(p.program.probes.size(), 2u);
  EXPECT_EQ(p.program.probes[0].attach_points[0].raw, "END");
  EXPECT_EQ(p.program.probes[1].attach_points[0].raw, "interval:s:1");
}

TEST(ParserErrors, MissingBraceGivesOneError) {
  // The probe never closes, so END is read as part of its body.
  EXPECT_EQ(errors_of("BEGIN { if (1) { $x = 1; }\nEND { }\n"), "2:5-2:5 unexpected '{', expecting ';'");
  EXPECT_EQ(errors_of("BEGIN { if (1) { $x = 1; }\n"), "1:27-1:27 unexpected end of file, expecting '}'");
}

TEST(ParserErrors, DeepNestingIsRefusedNotCrashing) {
  std::string deep = "BEGIN { $x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "; }";
  std::string errs = errors_of(deep);
  EXPECT_NE(errs.find("nesting too deep"), std::string::npos) << errs;

  std::string negs = "BEGIN { $x = " + std::string(5000, '-') + "1; }";
  EXPECT_NE(errors_of(negs).find("nesting too deep"), std::string::npos);

  std::string chain = "BEGIN { $x = 1";
  for (int i = 0; i < 3000; i++) chain += " + 1";
  chain += "; }";
  EXPECT_NE(errors_of(chain).find("expression nested too deeply"), std::string::npos);

  std::string ifs = "BEGIN { ";
  for (int i = 0; i < 1000; i++) ifs += "if (1) { ";
  ifs += std::string(1000, '}') + " }";
  EXPECT_NE(errors_of(ifs).find("nesting too deep"), std::string::npos);
}

TEST(ParserErrors, ModerateNestingIsFine) {
  std::string src = "BEGIN { $x = " + std::string(50, '(') + "1" + std::string(50, ')') + "; }";
  EXPECT_EQ(dump_program(src), "(probe (BEGIN) (= $x 1))\n");
}

TEST(ParserErrors, Rendering) {
  Parsed p("BEGIN {\n  $x = 1\n  $y = 2;\n}\n");
  std::ostringstream out;
  p.diags.render(out);
  EXPECT_EQ(out.str(), "test.bt:3:3: error: unexpected '$y', expecting ';'\n  $y = 2;\n  ^~\n");
}

}  // namespace
}  // namespace btc
