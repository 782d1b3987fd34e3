// The tool's standard output: line-buffered on a terminal, fully buffered
// otherwise, flushed before every blocking wait. A closed pipe (EPIPE; SIGPIPE
// is ignored) marks stdout broken so the tool can end quietly.
#ifndef BTC_RT_STDOUT_SINK_H
#define BTC_RT_STDOUT_SINK_H

#include <string_view>

namespace btc::rt {

void setup_stdout();
void write_stdout(std::string_view text);
// Flushes; false once stdout is broken.
bool flush_stdout();
bool stdout_broken();

}  // namespace btc::rt

#endif
