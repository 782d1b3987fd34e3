// libbpf's messages are captured, not printed: the runtime turns them into
// one-line errors, and BTC_VERBOSE=1 shows them in full.
#ifndef BTC_RT_LIBBPF_LOG_H
#define BTC_RT_LIBBPF_LOG_H

#include <string>

namespace btc::rt {

void capture_libbpf_output();
const std::string &libbpf_output();
void clear_libbpf_output();
// Prints everything captured so far to stderr when BTC_VERBOSE is set.
void dump_libbpf_output_if_verbose();

}  // namespace btc::rt

#endif
