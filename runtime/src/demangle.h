// C++ names of user-space functions (usym, ustack), demangled as bpftrace does when the script's
// config has cpp_demangle (the default). The demangler itself (libstdc++'s, about 50 KB) is linked
// only into tools whose scripts print user symbols: their generated tables point
// btc_tool.demangle at btc_cxa_demangle; every other tool leaves it NULL.
#ifndef BTC_RT_DEMANGLE_H
#define BTC_RT_DEMANGLE_H

#include <string>

#include "btc/abi.h"  // btc_cxa_demangle

namespace btc::rt {

using Demangler = char *(*)(const char *mangled);

// Set once before symbols are resolved (NULL: names stay as the symbol table has them).
void set_demangler(Demangler demangler);

// `name` demangled when it is a mangled C++ name and a demangler is set; else `name`.
std::string demangled(const std::string &name);

}  // namespace btc::rt

#endif
