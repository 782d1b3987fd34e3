// The abstract syntax tree: what the parser produces and every later phase reads.
// Plain data: nodes own their children through unique_ptr; the checker fills in
// `type` on expressions (and a few resolved fields) in place.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "source/source.h"
#include "types/types.h"

namespace btc::ast {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

enum class ExprKind {
  Int,         // ival (uval for values above INT64_MAX); text = spelling
  String,      // sval = the string with escapes resolved
  Bool,        // ival = 0/1
  Var,         // $name            name = "$name"
  Map,         // @name[keys]      name = "@name" ("@" for the anonymous map); args = keys (empty when unkeyed)
  Builtin,     // pid, comm, arg0, args, retval, ...  name = builtin name
  Positional,  // $1..$N           ival = N
  ParamCount,  // $#
  Call,        // name(args)       name = function name (count, printf is a statement-call too)
               //   offsetof(T, f.g) is a Call named "offsetof": cast_type = T (or args[0] = an
               //   expression whose type is used, cast_type ""), sval = the field path "f.g"
  Unary,       // op args[0]       op = "-", "!", "~", "*" (deref), "&" (address of)
  IncDec,      // ++x, x++, --x, x--  op = "++"/"--"; is_prefix; args[0] = Var or Map
  Binary,      // args[0] op args[1]; op = "+","-","*","/","%","<<",">>","&","|","^","==","!=","<",">","<=",">=","&&","||"
  Ternary,     // args[0] ? args[1] : args[2]
  Field,       // args[0].name or args[0]->name (is_arrow)
  Index,       // args[0][args[1]]  (array / pointer subscript)
  TupleIndex,  // args[0].N         ival = N
  Tuple,       // (a, b, ...)
  Record,      // (a=1, b="x")     args = the values; fields = their names (r.a: a Field, ival = index)
  Cast,        // (cast_type)args[0]
  Sizeof,      // sizeof(cast_type) or sizeof(args[0])
  Block,       // { stmt; ...; value }  body = the statements; args[0] = the value (args empty: no value)
               //   `if c { a } else { b }` as an expression is a Ternary whose branches are Blocks
};

struct Expr {
  ExprKind kind;
  SourceRange range;
  int64_t ival = 0;
  uint64_t uval = 0;          // Int: the value as unsigned (always set)
  bool is_unsigned_literal = false;  // Int literal above INT64_MAX
  std::string name;           // Var/Map/Builtin/Call/Field name
  std::string sval;           // String literal contents
  std::string op;             // Unary/Binary/IncDec operator
  bool is_prefix = false;     // IncDec
  bool is_arrow = false;      // Field: '->' instead of '.'
  std::string cast_type;      // Cast/Sizeof: the type as written, e.g. "struct task_struct *", "uint32"
                              // (normalised: "T *", "T **", "T[4]", "T *[4]", "int8[]")
  std::string text;           // Int: the literal as written ("1_000", "0x10", "5ms", "'a'")
  std::vector<ExprPtr> args;
  std::vector<std::string> fields;  // Record: field names, one per args element
  std::vector<StmtPtr> body;        // Block: the statements before the value

  // Filled by the checker.
  Type type;
};

enum class StmtKind {
  Expr,      // expr;               (calls such as printf(...), exit(), delete(...), count() as statement, x++)
  Assign,    // lhs op rhs;         lhs = Var or Map; op = "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="
  Let,       // let $x[: type] [= e];   name, decl_type (may be ""), value (may be null)
  If,        // if (cond) then else  : cond, body, else_body (else if = an If inside else_body)
  While,     // while (cond) body
  Unroll,    // unroll (N) body     : count
  For,       // for ($kv : @map) body  / for ($i : a..b) body : var_name, iter (Map expr) or range_begin/range_end
  Break,
  Continue,
  Return,    // return [expr];  expr = the value (may be null)
  Block,     // { body }
};

struct Stmt {
  StmtKind kind;
  SourceRange range;
  ExprPtr expr;        // Expr: the expression; Assign: rhs; Let: initial value; If/While: condition
  ExprPtr lhs;         // Assign target
  std::string op;      // Assign operator
  std::string name;    // Let / For variable name ("$x")
  std::string decl_type;  // Let: declared type as written ("" if none)
  ExprPtr decl_typeof;    // Let: `typeof(expr)` as the declared type (a macro argument): the expression
  int64_t count = 0;   // Unroll
  ExprPtr iter;        // For over a map: the Map expression
  ExprPtr range_begin, range_end;  // For over a range
  std::vector<StmtPtr> body;
  std::vector<StmtPtr> else_body;
  bool has_else = false;
};

// One attach point as written, split at ':'. Examples:
//   "BEGIN"                          provider="BEGIN"
//   "tracepoint:syscalls:sys_enter_openat" provider="tracepoint" target="syscalls" func="sys_enter_openat"
//   "t:syscalls:sys_enter_*"         provider="t" (the checker normalises aliases)
//   "uprobe:/bin/bash:readline"      provider="uprobe" target="/bin/bash" func="readline"
//   "uprobe:/bin/x:func+16"          func="func", offset=16 (has_offset)
//   "interval:s:1" / "interval:1s"   provider="interval" target="s" func="1" (or target="", func="1s")
//   "kprobe:do_sys_openat2"          provider="kprobe" func="do_sys_openat2"
// `parts` always holds every ':'-separated piece after the provider, unprocessed.
struct AttachPoint {
  std::string raw;       // the whole text as written
  std::string provider;
  std::string target;
  std::string func;
  std::vector<std::string> parts;
  uint64_t offset = 0;
  bool has_offset = false;
  SourceRange range;
};

struct Probe {
  std::vector<AttachPoint> attach_points;
  ExprPtr predicate;     // may be null
  std::vector<StmtPtr> body;
  SourceRange range;
};

// macro name(params) { body }: expanded into its call sites before checking
// (compiler/expand/macro_expansion.h). A parameter is a $variable (the caller passes a variable,
// which the body may change), a @map (the caller passes a map), or a bare name (the caller passes
// any expression, inserted wherever the name appears).
enum class MacroParamKind { Var, Map, Expr };

struct MacroParam {
  MacroParamKind kind;
  std::string name;  // "$x", "@m" or "x"
  SourceRange range;
};

struct Macro {
  std::string name;
  std::vector<MacroParam> params;
  ExprPtr body;       // a Block expression
  SourceRange range;  // the name
};

struct ConfigItem {
  std::string key;
  std::string value;     // as written (number or string contents)
  SourceRange range;
};

struct MapDecl {          // let @m = hash(N);
  std::string name;
  std::string map_type;
  int64_t max_entries = 0;
  SourceRange range;
};

struct Import {            // import "path";  (merged into the program by driver/imports.h)
  std::string path;         // as written
  SourceRange range;
};

struct Program {
  std::vector<std::string> c_definitions;  // verbatim C text: #include lines, struct/union/enum definitions, #define
  std::vector<SourceRange> c_definition_ranges;  // where each of c_definitions was written
  std::vector<ConfigItem> config;
  SourceRange config_range;                // the `config` keyword (when there is a config block)
  std::vector<Import> imports;
  std::vector<MapDecl> map_decls;
  std::vector<Macro> macros;
  std::vector<Probe> probes;
  std::string leading_comment;             // the script's leading comment block (for --help)
};

}  // namespace btc::ast
