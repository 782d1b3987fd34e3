// btc::to_string(Type): the spelling of types in diagnostics.
#include "types/types.h"

#include <gtest/gtest.h>

namespace btc {
namespace {

Type pointer_to(Type t) {
  Type p;
  p.kind = TypeKind::Pointer;
  p.size = 8;
  p.inner.push_back(std::move(t));
  return p;
}

Type record(const std::string &name) {
  Type r;
  r.kind = TypeKind::Record;
  r.name = name;
  return r;
}

TEST(TypeToString, Scalars) {
  EXPECT_EQ(to_string(Type::integer(8, true)), "int64");
  EXPECT_EQ(to_string(Type::integer(4, false)), "uint32");
  EXPECT_EQ(to_string(Type::integer(1, true)), "int8");
  EXPECT_EQ(to_string(Type::integer(2, false)), "uint16");
  EXPECT_EQ(to_string(Type::boolean()), "bool");
  EXPECT_EQ(to_string(Type::void_()), "void");
  EXPECT_EQ(to_string(Type::none()), "none");
  EXPECT_EQ(to_string(Type::string(64)), "string[64]");
}

TEST(TypeToString, PointersRecordsArrays) {
  EXPECT_EQ(to_string(pointer_to(record("struct task_struct"))), "struct task_struct *");
  EXPECT_EQ(to_string(pointer_to(pointer_to(Type::integer(1, false)))), "uint8 * *");
  Type arr;
  arr.kind = TypeKind::Array;
  arr.count = 16;
  arr.inner.push_back(Type::integer(1, true));
  EXPECT_EQ(to_string(arr), "int8[16]");
  Type buf;
  buf.kind = TypeKind::Buffer;
  buf.size = 8 + 32;  // the u64 length, then the bytes
  EXPECT_EQ(to_string(buf), "buffer[32]");
  Type ctx;
  ctx.kind = TypeKind::Context;
  ctx.name = "syscalls:sys_enter_openat";
  EXPECT_EQ(to_string(ctx), "struct _tracepoint_syscalls_sys_enter_openat");
}

TEST(TypeToString, Tuples) {
  Type t;
  t.kind = TypeKind::Tuple;
  t.inner = {Type::integer(8, true), Type::string(16)};
  EXPECT_EQ(to_string(t), "(int64, string[16])");
  Type nested;
  nested.kind = TypeKind::Tuple;
  nested.inner = {t, Type::boolean()};
  EXPECT_EQ(to_string(nested), "((int64, string[16]), bool)");
}

TEST(TypeToString, Aggregates) {
  EXPECT_EQ(to_string(Type::aggregate(TypeKind::Count)), "count_t");
  EXPECT_EQ(to_string(Type::aggregate(TypeKind::Sum)), "sum_t");
  EXPECT_EQ(to_string(Type::aggregate(TypeKind::Hist)), "hist_t");
  EXPECT_EQ(to_string(Type::aggregate(TypeKind::Lhist)), "lhist_t");
  EXPECT_EQ(to_string(Type::aggregate(TypeKind::Stats)), "stats_t");
  Type umax = Type::aggregate(TypeKind::Max);
  umax.is_signed = false;
  EXPECT_EQ(to_string(umax), "umax_t");
  Type ksym;
  ksym.kind = TypeKind::Ksym;
  EXPECT_EQ(to_string(ksym), "ksym_t");
}

}  // namespace
}  // namespace btc
