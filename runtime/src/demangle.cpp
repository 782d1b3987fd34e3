#include "demangle.h"

#include <cstdlib>

namespace btc::rt {

static Demangler g_demangler = nullptr;

void set_demangler(Demangler demangler) { g_demangler = demangler; }

std::string demangled(const std::string &name) {
  if (!g_demangler || name.compare(0, 2, "_Z") != 0) return name;
  char *text = g_demangler(name.c_str());
  if (!text) return name;
  std::string out = text;
  free(text);
  return out;
}

}  // namespace btc::rt
