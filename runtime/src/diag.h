// One-line diagnostics of the generated tool: "<tool>: error: <message>", or bpftrace's
// "ERROR: <message>" where bpftrace has the same message.
#ifndef BTC_RT_DIAG_H
#define BTC_RT_DIAG_H

#include <string>

#include "btc/abi.h"

namespace btc::rt {

void set_tool_name(const char *name);
const char *tool_name();

void print_error(const std::string &message);
// An error about a place in the script, as bpftrace reports it: "file.bt:LINE:COL-ENDCOL: ERROR:
// <message>", then the source line with '~' under the place. Without a place (NULL, or a tool
// built without one): print_error(message).
void print_script_error(const btc_source_ref *where, const std::string &message);
void print_warning(const std::string &message);

// bpftrace's own log lines, for messages the tool shares with bpftrace word
// for word: "ERROR: <message>" and "HINT: <message>" on stderr.
void log_error(const std::string &message);
void log_hint(const std::string &message);

// True when BTC_VERBOSE is set to something other than "" or "0".
bool verbose();

}  // namespace btc::rt

#endif
