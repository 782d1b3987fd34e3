// printf's %gr: a kernel GFP allocation mask in the kernel's own notation
// ("GFP_KERNEL|__GFP_ZERO"), as bpftrace prints it.
#ifndef BTC_RT_GFP_FLAGS_H
#define BTC_RT_GFP_FLAGS_H

#include <cstdint>
#include <string>

namespace btc::rt {

// Compound masks first, then single bits, in the order of the kernel's
// __def_gfpflag_names; each name takes its bits away, bits no name covers
// follow as "0x<hex>". 0 is "0".
std::string format_gfp_flags(uint64_t flags);

}  // namespace btc::rt

#endif
