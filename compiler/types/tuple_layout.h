// Byte layout of tuple values. A tuple is a C struct whose members keep their own sizes and
// natural alignment (as bpftrace lays them out), so sizeof((int8, int64)) is 16 and
// sizeof((int8, int16, int32)) is 8. The BPF C struct, the host field tables and sizeof() agree.
#pragma once
#include <cstdint>
#include <vector>

#include "types/types.h"

namespace btc {

// Bytes a value of type t takes inside a tuple, and its alignment.
uint32_t tuple_elem_size(const Type &t);
uint32_t tuple_elem_align(const Type &t);

// Offsets of the elements of tuple type t; *size gets the struct size (padded to its alignment).
std::vector<uint32_t> tuple_offsets(const Type &t, uint32_t *size);

// A tuple type with these elements, its size set from the layout.
Type make_tuple(std::vector<Type> elems);

// Widens `into` so that it can hold values of both types (same_shape types only): larger
// integers and strings, signed when either side is signed, element by element in tuples.
void widen_type(Type &into, const Type &from);

}  // namespace btc
