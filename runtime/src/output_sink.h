// Where the tool's output goes: stdout, or the file named by -o. Errors and
// warnings always go to stderr.
//
// Buffering follows -B: line (flush at every newline), full (flush when the
// buffer fills) or none. Without -B, output is line-buffered on a terminal
// and block-buffered otherwise, and the event loop flushes it whenever it
// waits for events, so nothing is held back while the tool is idle but a
// flood of events costs few write() calls.
//
// A reader that goes away (EPIPE; SIGPIPE is ignored) marks the output
// broken, after which the tool ends quietly.
#ifndef BTC_RT_OUTPUT_SINK_H
#define BTC_RT_OUTPUT_SINK_H

#include <string>
#include <string_view>

namespace btc::rt {

enum class BufferMode { kAuto, kLine, kFull, kNone };

// "line", "full" or "none"; false for anything else.
bool parse_buffer_mode(std::string_view text, BufferMode &mode);

// Opens the output: stdout when `path` is empty, else the file (truncated).
// False with a message when the file cannot be opened.
bool open_output(const std::string &path, BufferMode mode, std::string &error);
void close_output();

void write_output(std::string_view text);
// Flushes now; false once the output is broken.
bool flush_output();
// Called before the tool blocks waiting for events: flushes unless -B full.
bool flush_output_before_wait();
bool output_broken();

}  // namespace btc::rt

#endif
