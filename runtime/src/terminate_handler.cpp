// std::terminate()'s default handler. It replaces libstdc++'s verbose handler, which demangles
// the exception's type name and so links the C++ demangler (about 47 KB) into every tool. The
// tool's link line names this symbol (-Wl,-u) so that this object, not libstdc++'s, provides it.
#include <cstdio>
#include <cstdlib>
#include <exception>

namespace __gnu_cxx {

void __verbose_terminate_handler() {
  std::exception_ptr active = std::current_exception();
  if (!active) {
    fputs("terminate called without an active exception\n", stderr);
    abort();
  }
  try {
    std::rethrow_exception(active);
  } catch (const std::exception &e) {
    fprintf(stderr, "terminate called after throwing an exception\n  what():  %s\n", e.what());
  } catch (...) {
    fputs("terminate called after throwing an exception\n", stderr);
  }
  abort();
}

}  // namespace __gnu_cxx
