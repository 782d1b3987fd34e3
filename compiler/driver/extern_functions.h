// The functions an imported .bpf.c file offers the script: the file is compiled on its own
// (clang -g -target bpf) and the prototypes of its global functions are read from the object's
// BTF, as bpftrace reads them from the module it builds.
#pragma once
#include <string>
#include <vector>

#include "check/program_info.h"
#include "diag/diagnostics.h"
#include "driver/imports.h"

namespace btc {

// Fills info->extern_functions and info->c_sources. `include_dirs`: btc's -I directories.
// Returns false after reporting a file that does not compile or a function btc cannot call.
bool read_extern_functions(const std::vector<ImportedCSource> &sources, const std::string &clang,
                           const std::vector<std::string> &include_dirs, Diagnostics &diags, ProgramInfo *info);

}  // namespace btc
