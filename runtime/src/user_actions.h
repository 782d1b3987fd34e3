// What system(), cat() and join() do in user space when their event arrives.
#ifndef BTC_RT_USER_ACTIONS_H
#define BTC_RT_USER_ACTIONS_H

#include <cstddef>
#include <cstdint>
#include <string>

#include "btc/abi.h"

namespace btc::rt {

// bpftrace's max_cat_bytes default: cat() prints at most this much of a file.
constexpr size_t kMaxCatBytes = 10240;

// Runs `command` with `sh -c`, its stdout and stderr captured into *output. False with *error
// ("command exited with code N", ...) when it cannot run or does not exit with status 0.
bool run_shell_command(const std::string &command, std::string *output, std::string *error);

// The first max_bytes bytes of the file at `path`. False with bpftrace's message
// ("failed to open file 'PATH' (No such file or directory)") when it cannot be opened.
bool read_file_head(const std::string &path, size_t max_bytes, std::string *contents, std::string *error);

// A failed system()/cat() on stderr, as bpftrace logs it: "ERROR: <message>".
void print_action_error(const std::string &message);

// join(): the string slots of a join event, up to the first empty one, with `separator` between.
std::string join_strings(const btc_printf_desc &desc, const uint8_t *payload, size_t size);

}  // namespace btc::rt

#endif
