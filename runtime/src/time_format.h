// strftime() and time() text, as bpftrace formats them.
//
// strftime(fmt, ns) formats a time stamp in nanoseconds since boot as local
// wall-clock time with strftime(3), plus bpftrace's extensions %f
// (microseconds, 6 digits), %k (nanoseconds, 9 digits) and %l (milliseconds,
// 3 digits) of the current second. time(fmt) formats the moment user space
// handles the event.
//
// strftime() values arrive as BTC_T_TIMESTAMP fields, time() as a printf
// entry of severity BTC_SEV_TIME (see btc/abi.h).
#ifndef BTC_RT_TIME_FORMAT_H
#define BTC_RT_TIME_FORMAT_H

#include <cstdint>
#include <string>
#include <string_view>

namespace btc::rt {

// CLOCK_BOOTTIME now, in nanoseconds.
uint64_t boot_clock_ns();

// Wall-clock nanoseconds since the epoch of a CLOCK_BOOTTIME stamp.
uint64_t boot_ns_to_realtime_ns(uint64_t boot_ns);

// `fmt` with the extensions replaced, then strftime(3) of `realtime_ns`
// (UTC or local time); "(?)" when the time cannot be formatted.
std::string format_timestamp(std::string_view fmt, uint64_t realtime_ns, bool utc = false);

}  // namespace btc::rt

#endif
