// Root imports, `import "path";` (bpftrace's language.md, "Imports"), resolved after parsing and
// before checking:
//   x.bt      parsed and merged into the program: probes, macros, map declarations and C
//             definitions (it may import further files; it may not have a config block)
//   x.h       its type definitions become C definitions of the program
//   x.bpf.c   compiled into the BPF program (ImportedFiles::c_sources; see extern_functions.h)
//   dir       every supported file in it, not recursively, in name order
// A path is looked up relative to the importing script's directory, then to the main script's
// (bpftrace resolves every import from the main script's directory). Each file is imported once;
// files in world-writable directories are refused. Diagnostics about an imported file point into
// it (SourceRange::file, rendered through Diagnostics::add_source).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "diag/diagnostics.h"
#include "source/source.h"

namespace btc {

struct ImportedCSource {
  std::string path;   // absolute
  SourceRange range;  // the import statement
};

struct ImportedFiles {
  std::vector<std::unique_ptr<SourceFile>> sources;  // imported .bt and .h texts; ranges point at their names
  std::vector<ImportedCSource> c_sources;            // the imported .bpf.c files, in import order
};

// Resolves `program.imports` (the main script, named `script_name` as given on the command line;
// "stdin" for -e) and merges what they bring into `program`. Returns false after reporting errors.
bool resolve_imports(ast::Program &program, const std::string &script_name, Diagnostics &diags, ImportedFiles *out);

// The top-level items of a C header that describe types: preprocessor lines and struct, union,
// enum and typedef declarations, each with its range in `file`. Function declarations and
// definitions and variables are left out (they only serve C code, e.g. an imported .bpf.c).
struct CHeaderItem {
  std::string text;
  SourceRange range;
};
std::vector<CHeaderItem> c_header_type_items(const SourceFile &file);

}  // namespace btc
