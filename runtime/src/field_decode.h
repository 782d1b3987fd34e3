// Decoding of raw bytes described by a btc_field into a Printable.
#ifndef BTC_RT_FIELD_DECODE_H
#define BTC_RT_FIELD_DECODE_H

#include <cstdint>

#include "btc/abi.h"
#include "printable.h"

namespace btc::rt {

// Integer of `size` bytes (1, 2, 4 or 8) at p, sign-extended / zero-extended.
int64_t read_signed(const uint8_t *p, uint32_t size);
uint64_t read_unsigned(const uint8_t *p, uint32_t size);

// The tool's constant strings (btc_tool.strings), which some fields refer to
// by index: BTC_T_TIMESTAMP's strftime format. Set once before decoding.
void set_field_strings(const char *const *strings, uint32_t count);

// How BTC_T_CGROUP_PATH fields are resolved (btc_tool.cgroup_path_functions); NULL: they print "".
void set_cgroup_path_lookup(const btc_cgroup_path_lookup *lookup);

// What a string that fills its whole buffer ends with (config str_trunc_trailer; NULL: "..").
void set_truncation_trailer(const char *trailer);
// The tool's tuple element lists (btc_tool.tuples), which BTC_T_TUPLE fields
// refer to by index. Set once before decoding.
void set_field_tuples(const btc_field_list *tuples, uint32_t count);

// The value of field `f` inside the record starting at `base`.
// Strings stop at the first NUL; a string that fills its whole buffer gets
// bpftrace's truncation trailer "..".
Printable decode_field(const btc_field &f, const uint8_t *base);

// A map key: nothing for a scalar map, the field for one key, a tuple otherwise.
Printable decode_key(const btc_map_desc &map, const uint8_t *key);

}  // namespace btc::rt

#endif
