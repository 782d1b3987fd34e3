// Text forms of network addresses, as bpftrace prints ntop() and macaddr() values.
#ifndef BTC_RT_NET_FORMAT_H
#define BTC_RT_NET_FORMAT_H

#include <cstdint>
#include <string>

namespace btc::rt {

// inet_ntop of 4 (AF_INET) or 16 (AF_INET6) bytes; "" for any other family.
std::string format_inet(uint64_t family, const uint8_t *address);

// "05:04:03:02:01:02": six bytes, upper-case hex. Like bpftrace, each byte is formatted as a
// signed char, so a byte >= 0x80 prints as FFFFFFxx and the text is cut at 17 characters.
std::string format_mac_address(const uint8_t *bytes);

}  // namespace btc::rt

#endif
