// The lexer: script text -> tokens.
//
// bpftrace's top level is not regular: attach points such as `uprobe:/bin/bash:readline` or
// `software:page-faults:100` are lexed as one AttachPoint token, C preprocessor lines and
// struct/union/enum definitions become one CPreproc/CDefinition token each (their text is passed
// to clang verbatim later), and everything else (config blocks, predicates, probe bodies) is
// lexed into ordinary tokens. The lexer tracks braces to know when it is back at the top level.
//
// Errors (bad characters, unterminated strings/comments, bad numbers) go to `diags` with
// DiagKind::Lex; the offending text is skipped and lexing continues. The result always ends
// with an Eof token.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostics.h"
#include "lex/token.h"
#include "source/source.h"

namespace btc {

std::vector<Token> lex(const SourceFile &file, Diagnostics &diags);

// The script's leading comment block (after an optional shebang line and blank lines): the
// consecutive `//` lines or the first `/* ... */` block, without comment markers, without the
// " * " decoration of block comments, joined with '\n'. "" if the script does not start with one.
std::string extract_leading_comment(std::string_view text);

}  // namespace btc
