// Splitting an attach point as written ("uprobe:/bin/x:\"ns::f\"+16") into its parts.
#pragma once
#include <string>

#include "ast/ast.h"
#include "source/source.h"

namespace btc {

// Splits `raw` at ':' (not inside "quotes", and not at a C++ "::" inside a symbol), removes the
// quotes and resolves \-escapes inside them, then fills provider/target/func/parts:
//   provider only                BEGIN                      -> provider
//   provider:a                   kprobe:f, interval:1s      -> func = a
//   provider:a:b                 tracepoint:sched:switch    -> target = a, func = b
//   provider:a:...:z (4+ parts)  usdt:/bin/x:prov:probe     -> target = a, func = z
//   uprobe:a@file:line[:col]     uprobe:/bin/x@x.c:12      -> target = a, parts = a @ file line [col]
// `parts` holds every piece after the provider. A trailing "+N" (decimal or 0x hex) on func is
// split off into offset/has_offset: "malloc+16" -> func "malloc", offset 16.
ast::AttachPoint split_attach_point(const std::string &raw, SourceRange range);

}  // namespace btc
