// Type spellings as the parser normalises them ("int32 *[4]", "struct foo[4] *", "string[64]"):
// a base type name followed by pointer and array suffixes. The suffixes are postfix, as in
// bpftrace: read left to right, each one applies to everything before it, so "int32 *[4]" is an
// array of 4 pointers and "int32[4] *" a pointer to an array of 4 int32.
//
// The parameterized types string, buffer and inet take their first [N] as their size instead
// of becoming arrays: "string[64]" is a string of 64 bytes, "string[64][2]" two of them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "types/types.h"

namespace btc {

struct TypeSuffix {
  bool is_pointer = false;  // '*'; otherwise '[count]' ('[]': count 0, "as big as the value")
  uint32_t count = 0;
};

struct TypeSpelling {
  std::string base;  // "int32", "struct foo", "unsigned long"
  std::vector<TypeSuffix> suffixes;
};

// Splits a spelling into its base and suffixes. nullopt when it is not well formed.
std::optional<TypeSpelling> split_type_spelling(const std::string &spelling);

// True for the base names whose first [N] is a size: string, buffer, inet.
bool is_sized_type_name(const std::string &base);

// The type a sized base names, with the size its first suffix gives (0 without one); consumes
// that suffix. string[N]: a string of N bytes; buffer[N]: buf() bytes with room for N;
// inet[N]: an address of N bytes.
Type sized_base_type(const std::string &base, std::vector<TypeSuffix> *suffixes);

// `base` with the suffixes applied left to right.
Type apply_type_suffixes(Type base, const std::vector<TypeSuffix> &suffixes);

// sizeof(T) as bpftrace computes it: the type's size, except that a buffer counts bpftrace's
// 4-byte length header (btc keeps an 8-byte one) and an inet its address bytes only.
uint64_t bpftrace_sizeof(const Type &t);

}  // namespace btc
