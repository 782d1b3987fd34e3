// C structs for tuple values in the generated BPF C. Each distinct tuple type becomes one
// `struct btc_tuple_N` whose members e0, e1, ... have the element's own C type, so clang lays it
// out exactly as tuple_offsets() says (natural alignment) and the host tables can describe it.
#pragma once
#include <map>
#include <string>

#include "types/types.h"

namespace btc {

class TupleStructs {
 public:
  // "struct btc_tuple_N" for tuple type t; the first use defines it (and every tuple inside it).
  std::string name(const Type &t);
  // The definitions made so far, inner tuples before the tuples that hold them.
  const std::string &definitions() const { return defs_; }

  // A declaration of `member` holding a tuple element of type t, e.g. "__s8 e0", "char e2[7]".
  std::string member_decl(const Type &t, const std::string &member);

 private:
  std::map<std::string, std::string> names_;  // signature -> struct name
  std::string defs_;
};

// A signature that identifies a tuple element type in struct names and tables.
std::string type_signature(const Type &t);

}  // namespace btc
