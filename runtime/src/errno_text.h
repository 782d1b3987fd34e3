// strerror() values (BTC_T_STRERROR fields): errno numbers as the kernel's messages.
#ifndef BTC_RT_ERRNO_TEXT_H
#define BTC_RT_ERRNO_TEXT_H

#include <cstdint>

namespace btc::rt {

// "Operation not permitted" for 1 or -1; "Unknown error" for numbers without a message.
const char *errno_text(int64_t error);

}  // namespace btc::rt

#endif
