#include "net_format.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstdio>

namespace btc::rt {

std::string format_inet(uint64_t family, const uint8_t *address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (family == AF_INET)
    inet_ntop(AF_INET, address, text, sizeof(text));
  else if (family == AF_INET6)
    inet_ntop(AF_INET6, address, text, sizeof(text));
  return text;
}

std::string format_mac_address(const uint8_t *bytes) {
  char text[18];
  int b[6];
  for (int i = 0; i < 6; i++) b[i] = static_cast<signed char>(bytes[i]);
  snprintf(text, sizeof(text), "%02X:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3], b[4], b[5]);
  return text;
}

}  // namespace btc::rt
