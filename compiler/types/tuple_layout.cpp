#include "types/tuple_layout.h"

#include <algorithm>

namespace btc {

uint32_t tuple_elem_size(const Type &t) {
  switch (t.kind) {
    case TypeKind::Int:
      return t.size ? t.size : 8;
    case TypeKind::Bool:
      return 1;
    case TypeKind::String:
    case TypeKind::Tuple:
    case TypeKind::Record:
    case TypeKind::Array:
      return t.size;
    case TypeKind::Ustack:
    case TypeKind::Usym:
      return 16;  // stack id or address, then the pid
    default:
      return 8;
  }
}

uint32_t tuple_elem_align(const Type &t) {
  switch (t.kind) {
    case TypeKind::Int:
      return t.size ? t.size : 8;
    case TypeKind::Bool:
    case TypeKind::String:
      return 1;
    case TypeKind::Tuple:
    case TypeKind::Record: {  // a record value: its members' largest alignment, as in C
      uint32_t a = 1;
      for (const auto &el : t.inner) a = std::max(a, tuple_elem_align(el));
      return a;
    }
    case TypeKind::Array:
      return t.inner.empty() ? 1 : tuple_elem_align(t.inner[0]);
    default:
      return 8;
  }
}

std::vector<uint32_t> tuple_offsets(const Type &t, uint32_t *size) {
  std::vector<uint32_t> out;
  uint32_t off = 0;
  for (const auto &el : t.inner) {
    uint32_t a = tuple_elem_align(el);
    off = (off + a - 1) / a * a;
    out.push_back(off);
    off += tuple_elem_size(el);
  }
  uint32_t a = tuple_elem_align(t);
  *size = (off + a - 1) / a * a;
  return out;
}

Type make_tuple(std::vector<Type> elems) {
  Type t;
  t.kind = TypeKind::Tuple;
  t.inner = std::move(elems);
  tuple_offsets(t, &t.size);
  return t;
}

void widen_type(Type &into, const Type &from) {
  if (into.kind == TypeKind::Int && from.kind == TypeKind::Int) {
    into.size = std::max(into.size, from.size);
    into.is_signed = into.is_signed || from.is_signed;
  } else if (into.is_string() && from.is_string()) {
    into.size = std::max(into.size, from.size);
  } else if (into.kind == TypeKind::Tuple && from.kind == TypeKind::Tuple && into.inner.size() == from.inner.size()) {
    for (size_t i = 0; i < into.inner.size(); i++) widen_type(into.inner[i], from.inner[i]);
    tuple_offsets(into, &into.size);
  }
}

}  // namespace btc
