// KernelBtf against this machine's /sys/kernel/btf/vmlinux: records, fields, type conversion,
// type spellings, functions, and the C definitions compiled with clang -target bpf.
#include <bpf/btf.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "btf/kernel_btf.h"
#include "driver/toolchain.h"

namespace btc {
namespace {

const char kVmlinux[] = "/sys/kernel/btf/vmlinux";

class BtfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string err;
    btf_ = KernelBtf::load(kVmlinux, &err).release();
  }
  static void TearDownTestSuite() {
    delete btf_;
    btf_ = nullptr;
  }
  void SetUp() override {
    if (!btf_) GTEST_SKIP() << "no kernel BTF at " << kVmlinux;
  }
  const KernelBtf &kb() { return *btf_; }

  Type record(const std::string &name) {
    std::optional<Type> r = kb().find_record(name);
    EXPECT_TRUE(r.has_value()) << name;
    return r ? *r : Type::none();
  }
  FieldInfo field(const std::string &rec, const std::string &name) {
    std::optional<FieldInfo> f = kb().find_field(record(rec), name);
    EXPECT_TRUE(f.has_value()) << rec << "." << name;
    return f ? *f : FieldInfo{};
  }
  Type parse(const std::string &spelling) {
    std::optional<Type> t = kb().parse_type(spelling);
    EXPECT_TRUE(t.has_value()) << spelling;
    return t ? *t : Type::none();
  }
  int raw_id(const char *name, int kind) { return btf__find_by_name_kind(kb().raw(), name, kind); }

  static KernelBtf *btf_;
};

KernelBtf *BtfTest::btf_ = nullptr;

void expect_int(const Type &t, uint32_t size, bool is_signed, const std::string &what) {
  EXPECT_EQ(t.kind, TypeKind::Int) << what;
  EXPECT_EQ(t.size, size) << what;
  EXPECT_EQ(t.is_signed, is_signed) << what;
}

TEST(BtfLoadTest, MissingFileGivesOneLineReason) {
  std::string err;
  EXPECT_EQ(KernelBtf::load("/nonexistent/vmlinux", &err), nullptr);
  EXPECT_NE(err.find("/nonexistent/vmlinux"), std::string::npos) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos);
}

TEST_F(BtfTest, FindRecordBySpellings) {
  Type task = record("struct task_struct");
  EXPECT_EQ(task.kind, TypeKind::Record);
  EXPECT_EQ(task.name, "struct task_struct");
  EXPECT_GT(task.size, 1000u);
  EXPECT_GT(task.btf_id, 0);

  Type bare = record("task_struct");
  EXPECT_EQ(bare.btf_id, task.btf_id);

  Type attr = record("union bpf_attr");
  EXPECT_EQ(attr.name, "union bpf_attr");

  Type via_typedef = record("cpumask_t");
  EXPECT_EQ(via_typedef.name, "struct cpumask");

  EXPECT_FALSE(kb().find_record("struct no_such_struct_btc").has_value());
  EXPECT_FALSE(kb().find_record("union task_struct").has_value());
  EXPECT_FALSE(kb().find_record("enum bpf_map_type").has_value());
  EXPECT_FALSE(kb().find_record("").has_value());
}

TEST_F(BtfTest, TaskStructFields) {
  FieldInfo pid = field("struct task_struct", "pid");
  EXPECT_GT(pid.offset_bits, 0u);
  EXPECT_EQ(pid.offset_bits % 8, 0u);
  EXPECT_EQ(pid.bitfield_bits, 0u);
  expect_int(pid.type, 4, true, "pid");

  FieldInfo comm = field("struct task_struct", "comm");
  EXPECT_EQ(comm.type.kind, TypeKind::String);
  EXPECT_EQ(comm.type.size, 16u);

  FieldInfo parent = field("struct task_struct", "real_parent");
  ASSERT_EQ(parent.type.kind, TypeKind::Pointer);
  EXPECT_EQ(parent.type.size, 8u);
  ASSERT_EQ(parent.type.inner.size(), 1u);
  EXPECT_EQ(parent.type.inner[0].kind, TypeKind::Record);
  EXPECT_EQ(parent.type.inner[0].name, "struct task_struct");

  FieldInfo stack = field("struct task_struct", "stack");  // void *
  ASSERT_EQ(stack.type.kind, TypeKind::Pointer);
  EXPECT_EQ(stack.type.inner[0].kind, TypeKind::Void);

  EXPECT_FALSE(kb().find_field(record("struct task_struct"), "no_such_field").has_value());
  EXPECT_FALSE(kb().find_field(Type::integer(4, true), "pid").has_value());
}

TEST_F(BtfTest, FieldsThroughAnonymousMembers) {
  // struct sk_buff { union { struct { next; prev; union { dev; ... }; }; ... }; sk; union { tstamp; ...
  EXPECT_EQ(field("struct sk_buff", "next").offset_bits, 0u);
  EXPECT_EQ(field("struct sk_buff", "prev").offset_bits, 64u);
  FieldInfo dev = field("struct sk_buff", "dev");
  EXPECT_EQ(dev.offset_bits, 128u);
  ASSERT_EQ(dev.type.kind, TypeKind::Pointer);
  EXPECT_EQ(dev.type.inner[0].name, "struct net_device");
  EXPECT_GT(field("struct sk_buff", "tstamp").offset_bits, field("struct sk_buff", "sk").offset_bits);

  std::vector<std::string> names = kb().field_names(record("struct sk_buff"));
  for (const char *n : {"next", "prev", "dev", "sk", "tstamp", "len", "cloned"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  EXPECT_EQ(std::find(names.begin(), names.end(), ""), names.end());
}

TEST_F(BtfTest, Bitfields) {
  FieldInfo cloned = field("struct sk_buff", "cloned");
  FieldInfo fclone = field("struct sk_buff", "fclone");
  EXPECT_EQ(cloned.bitfield_bits, 1u);
  EXPECT_EQ(fclone.bitfield_bits, 2u);
  EXPECT_EQ(cloned.type.kind, TypeKind::Int);
  EXPECT_NE(cloned.offset_bits % 8 + fclone.offset_bits % 8, 0u);  // not both byte aligned
}

TEST_F(BtfTest, ToTypeConversions) {
  FieldInfo args = field("struct trace_event_raw_sys_enter", "args");  // unsigned long args[6]
  ASSERT_EQ(args.type.kind, TypeKind::Array);
  EXPECT_EQ(args.type.count, 6u);
  EXPECT_EQ(args.type.size, 48u);
  expect_int(args.type.inner[0], 8, false, "args[]");

  // BTF arrays of any 1-byte integer are strings (u8 saddr[4]).
  FieldInfo saddr = field("struct trace_event_raw_inet_sock_set_state", "saddr");
  EXPECT_EQ(saddr.type.kind, TypeKind::String);
  EXPECT_EQ(saddr.type.size, 4u);

  // Typedefs and const are resolved: pid_t -> int32, bool -> Bool.
  expect_int(kb().to_type(raw_id("pid_t", BTF_KIND_TYPEDEF)), 4, true, "pid_t");
  EXPECT_EQ(kb().to_type(raw_id("bool", BTF_KIND_TYPEDEF)).kind, TypeKind::Bool);
  EXPECT_EQ(kb().to_type(0).kind, TypeKind::Void);

  // Enums are unsigned ints of their size, named.
  Type e = kb().to_type(raw_id("bpf_map_type", BTF_KIND_ENUM));
  expect_int(e, 4, false, "enum");
  EXPECT_EQ(e.name, "enum bpf_map_type");

  // Function pointers point to void.
  FieldInfo read = field("struct file_operations", "read");
  ASSERT_EQ(read.type.kind, TypeKind::Pointer);
  EXPECT_EQ(read.type.inner[0].kind, TypeKind::Void);

  // Plain char keeps the signedness the kernel was built with.
  const struct btf_type *c = btf__type_by_id(kb().raw(), raw_id("char", BTF_KIND_INT));
  bool char_signed = (btf_int_encoding(c) & BTF_INT_SIGNED) != 0;
  expect_int(kb().to_type(raw_id("char", BTF_KIND_INT)), 1, char_signed, "char");
  expect_int(parse("char"), 1, char_signed, "parse char");
}

TEST_F(BtfTest, ParseTypeBuiltinAndCNames) {
  struct Case {
    const char *spelling;
    uint32_t size;
    bool is_signed;
  };
  const Case cases[] = {
      {"int8", 1, true},
      {"int16", 2, true},
      {"int32", 4, true},
      {"int64", 8, true},
      {"uint8", 1, false},
      {"uint16", 2, false},
      {"uint32", 4, false},
      {"uint64", 8, false},
      {"signed char", 1, true},
      {"unsigned char", 1, false},
      {"short", 2, true},
      {"unsigned short int", 2, false},
      {"int", 4, true},
      {"signed", 4, true},
      {"unsigned", 4, false},
      {"unsigned int", 4, false},
      {"long", 8, true},
      {"long int", 8, true},
      {"unsigned long", 8, false},
      {"long long", 8, true},
      {"unsigned long long", 8, false},
      {"long unsigned int", 8, false},
      {"u8", 1, false},
      {"u16", 2, false},
      {"u32", 4, false},
      {"u64", 8, false},
      {"s8", 1, true},
      {"s16", 2, true},
      {"s32", 4, true},
      {"s64", 8, true},
      {"__u32", 4, false},
      {"__s64", 8, true},
      {"size_t", 8, false},
      {"pid_t", 4, true},
      {"const volatile int", 4, true},
      {"umode_t", 2, false},
  };
  for (const Case &c : cases) expect_int(parse(c.spelling), c.size, c.is_signed, c.spelling);
  EXPECT_EQ(parse("bool").kind, TypeKind::Bool);
  EXPECT_EQ(parse("_Bool").kind, TypeKind::Bool);
  Type e = parse("enum bpf_map_type");
  expect_int(e, 4, false, "enum bpf_map_type");
}

TEST_F(BtfTest, ParseTypePointersAndRecords) {
  Type task = parse("struct task_struct *");
  ASSERT_EQ(task.kind, TypeKind::Pointer);
  EXPECT_EQ(task.size, 8u);
  EXPECT_EQ(task.inner[0].name, "struct task_struct");
  EXPECT_GT(task.inner[0].btf_id, 0);

  Type pp = parse("struct task_struct**");
  ASSERT_EQ(pp.kind, TypeKind::Pointer);
  ASSERT_EQ(pp.inner[0].kind, TypeKind::Pointer);
  EXPECT_EQ(pp.inner[0].inner[0].kind, TypeKind::Record);

  Type cstr = parse("const char *");
  ASSERT_EQ(cstr.kind, TypeKind::Pointer);
  EXPECT_EQ(cstr.inner[0].kind, TypeKind::Int);
  EXPECT_EQ(cstr.inner[0].size, 1u);

  Type argv = parse("const char *const *");
  ASSERT_EQ(argv.kind, TypeKind::Pointer);
  EXPECT_EQ(argv.inner[0].kind, TypeKind::Pointer);

  EXPECT_EQ(parse("void *").inner[0].kind, TypeKind::Void);
  EXPECT_EQ(parse("union bpf_attr").kind, TypeKind::Record);
  EXPECT_EQ(parse("struct pt_regs").name, "struct pt_regs");

  Type bytes = parse("int8[4]");
  ASSERT_EQ(bytes.kind, TypeKind::Array);
  EXPECT_EQ(bytes.count, 4u);
  EXPECT_EQ(bytes.size, 4u);

  for (const char *bad : {"", "struct no_such_struct_btc", "no_such_typedef_btc", "unsigned float", "int int",
                          "signed unsigned", "char *x", "struct", "long long long", "int8[", "void[2]", "*"})
    EXPECT_FALSE(kb().parse_type(bad).has_value()) << "'" << bad << "'";
}

TEST_F(BtfTest, Functions) {
  EXPECT_TRUE(kb().has_function("do_sys_openat2"));
  EXPECT_FALSE(kb().has_function("no_such_function_btc"));
  EXPECT_FALSE(kb().has_function("task_struct"));  // a struct, not a FUNC
  std::vector<std::string> names = kb().function_names();
  EXPECT_GT(names.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "do_sys_openat2"));
}

TEST_F(BtfTest, CDeclaration) {
  Type rec = record("struct trace_event_raw_sched_switch");
  const struct btf_type *t = btf__type_by_id(kb().raw(), rec.btf_id);
  const struct btf_member *m = btf_members(t);
  for (uint32_t i = 0; i < btf_vlen(t); i++, m++) {
    std::string name = btf__name_by_offset(kb().raw(), m->name_off);
    if (name == "prev_comm") {
      EXPECT_EQ(kb().c_declaration(m->type, name), "char prev_comm[16]");
    } else if (name == "prev_pid") {
      EXPECT_EQ(kb().c_declaration(m->type, name), "pid_t prev_pid");
    }
  }
}

// ---- emit_c_definitions, compiled with clang -target bpf ------------------------------------

std::string find_clang() {
  const char *env = getenv("BTC_CLANG");
  for (std::string c : {std::string(env ? env : ""), std::string("clang-19"), std::string("clang")}) {
    std::string out;
    if (!c.empty() && run_command({c, "--version"}, &out) == 0) return c;
  }
  return "";
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/btc_btf_test.XXXXXX";
    path_ = mkdtemp(tmpl) ? tmpl : "";
  }
  ~TempDir() {
    if (!path_.empty()) std::filesystem::remove_all(path_);
  }
  std::string write(const std::string &name, const std::string &text) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p) << text;
    return p;
  }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

const char kProgram[] = R"(#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp/sched/sched_switch")
int on_switch(struct trace_event_raw_sched_switch *ctx) {
  struct task_struct *t = (struct task_struct *)bpf_get_current_task();
  __u32 pid = BPF_CORE_READ(t, pid);
  __u32 ppid = BPF_CORE_READ(t, real_parent, tgid);
  char *slot = bpf_ringbuf_reserve(&events, 32, 0);
  if (!slot) return 0;
  __builtin_memcpy(slot, ctx->prev_comm, 16);
  *(__u32 *)(slot + 16) = pid + ppid + ctx->next_pid;
  bpf_ringbuf_submit(slot, BPF_RB_NO_WAKEUP);
  return BPF_ANY;
}

SEC("uprobe")
int on_uprobe(struct pt_regs *regs) {
  struct sock *sk = (struct sock *)PT_REGS_PARM1(regs);
  __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
  return family + sizeof(struct sock) > 0;
}
)";

class EmitCTest : public BtfTest {
 protected:
  void SetUp() override {
    BtfTest::SetUp();
    if (IsSkipped()) return;
    clang_ = find_clang();
    if (clang_.empty()) GTEST_SKIP() << "no clang for -target bpf";
  }
  int compile(const std::string &types, std::string *out) {
    dir_.write("kernel_types.h", types);
    std::string src = dir_.write("prog.bpf.c", kProgram);
    return run_command(
        {clang_, "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-c", src, "-o", dir_.path() + "/prog.bpf.o"},
        out);
  }
  std::string clang_;
  TempDir dir_;
};

TEST_F(EmitCTest, DefinitionsCompileWithLibbpfHeaders) {
  std::string types = kb().emit_c_definitions(
      {"struct task_struct", "struct trace_event_raw_sched_switch", "struct pt_regs", "struct sock"});
  EXPECT_NE(types.find("#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)"),
            std::string::npos);
  EXPECT_NE(types.find("#pragma clang attribute pop"), std::string::npos);
  EXPECT_NE(types.find("struct task_struct {"), std::string::npos);
  EXPECT_NE(types.find("typedef unsigned int __u32;"), std::string::npos);
  EXPECT_EQ(types.find("#error"), std::string::npos);
  // Only what the four records need: far from the ~100k lines of a full vmlinux.h.
  EXPECT_LT(std::count(types.begin(), types.end(), '\n'), 5000);

  std::string out;
  EXPECT_EQ(compile(types, &out), 0) << out;
  EXPECT_EQ(access((dir_.path() + "/prog.bpf.o").c_str(), R_OK), 0);
}

TEST_F(EmitCTest, EmptyListStillDefinesBasicTypes) {
  std::string types = kb().emit_c_definitions({});
  EXPECT_NE(types.find("__wsum;"), std::string::npos);
  EXPECT_NE(types.find("BPF_MAP_TYPE_RINGBUF"), std::string::npos);
  EXPECT_EQ(types.find("struct task_struct {"), std::string::npos);
  // The program needs task_struct etc., so it must fail -- and on those types, not on basic ones.
  std::string out;
  EXPECT_NE(compile(types, &out), 0);
  EXPECT_NE(out.find("struct task_struct"), std::string::npos) << out;
  EXPECT_EQ(out.find("unknown type name '__"), std::string::npos) << out;
}

TEST_F(EmitCTest, TypedefsEnumeratorsAndUnknownNames) {
  std::string types = kb().emit_c_definitions({"u64", "BPF_F_INDEX_MASK", "enum bpf_prog_type", "no_such_type_btc"});
  EXPECT_NE(types.find("typedef __u64 u64;"), std::string::npos);
  EXPECT_NE(types.find("BPF_F_INDEX_MASK"), std::string::npos);
  EXPECT_NE(types.find("enum bpf_prog_type {"), std::string::npos);
  EXPECT_NE(types.find("#error \"btc: kernel BTF has no type named 'no_such_type_btc'\""), std::string::npos);
}

}  // namespace
}  // namespace btc
