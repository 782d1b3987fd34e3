// The BPF object embedded in the tool, unpacked once (btc embeds it zlib-compressed).
#pragma once

#include <cstddef>

#include "btc/abi.h"

namespace btc::rt {

// The tool's BPF ELF object and its size; the bytes live as long as the process. nullptr when
// the embedded stream is damaged (errno = EINVAL) or memory runs out (ENOMEM).
const unsigned char *embedded_object(const btc_tool &tool, size_t &size);

}  // namespace btc::rt
