// The one place that references libstdc++'s demangler (see demangle.h for why it is separate).
#include <cxxabi.h>

#include "demangle.h"

extern "C" char *btc_cxa_demangle(const char *mangled) {
  int status = 0;
  char *text = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  return status == 0 ? text : nullptr;
}
