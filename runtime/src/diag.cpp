#include "diag.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "output_sink.h"

namespace btc::rt {

static const char *g_tool_name = "btc-tool";

void set_tool_name(const char *name) {
  if (name && *name) g_tool_name = name;
}

const char *tool_name() { return g_tool_name; }

void print_error(const std::string &message) {
  flush_output();
  fprintf(stderr, "%s: error: %s\n", g_tool_name, message.c_str());
}

void print_script_error(const btc_source_ref *where, const std::string &message) {
  if (!where || !where->loc || !*where->loc) return print_error(message);
  flush_output();
  fprintf(stderr, "%s: ERROR: %s\n%s", where->loc, message.c_str(), where->context ? where->context : "");
}

void print_warning(const std::string &message) {
  flush_output();
  fprintf(stderr, "%s: warning: %s\n", g_tool_name, message.c_str());
}

void log_error(const std::string &message) {
  flush_output();
  fprintf(stderr, "ERROR: %s\n", message.c_str());
}

void log_hint(const std::string &message) {
  flush_output();
  fprintf(stderr, "HINT: %s\n", message.c_str());
}

bool verbose() {
  const char *v = getenv("BTC_VERBOSE");
  return v && *v && strcmp(v, "0") != 0;
}

}  // namespace btc::rt
