// The script's #include lines must name headers that exist, as with bpftrace, whose clang
// stops at a missing one ("'lol/no.h' file not found"). btc takes kernel types from BTF and
// drops the #include lines from the BPF C, so it looks the headers up itself, in the
// directories bpftrace's clang searches: -I directories, clang's default search list
// (its own headers, /usr/local/include, the multiarch directory, /usr/include) and the
// running kernel's headers when installed. Includes inside #if/#ifdef/#ifndef blocks are
// not checked (btc does not evaluate the conditions).
#pragma once
#include <string>
#include <vector>

#include "ast/ast.h"
#include "diag/diagnostics.h"

namespace btc {

// The directories searched for #include <...>, in order. `clang` is asked for its default
// list ("" or a failing clang: /usr/local/include and /usr/include).
std::vector<std::string> include_search_dirs(const std::string &clang, const std::vector<std::string> &include_dirs);

// Reports an error for each #include whose header none of `dirs` holds ("..." includes are
// also looked up in the current directory). Returns false if there was one.
bool check_includes(const ast::Program &program, const std::vector<std::string> &dirs, Diagnostics &diags);

// True if the program has an #include line (the search list is only needed then).
bool has_includes(const ast::Program &program);

}  // namespace btc
