// Tracepoint layouts on this machine (tracefs + kernel BTF), the format file parser, and the
// BTF-only fallback used when tracefs is not available.
#include "btf/tracepoints.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "btf/kernel_btf.h"
#include "btf/tracepoint_format.h"

namespace btc {
namespace {

class TracepointTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string err;
    btf_ = KernelBtf::load("/sys/kernel/btf/vmlinux", &err).release();
    root_ = new std::string(tracefs_root());
  }
  static void TearDownTestSuite() {
    delete btf_;
    delete root_;
  }
  void SetUp() override {
    if (!btf_) GTEST_SKIP() << "no kernel BTF";
  }
  void need_tracefs() {
    if (root_->empty()) GTEST_SKIP() << "tracefs is not available";
  }
  const KernelBtf &kb() { return *btf_; }

  TracepointFormat find(const std::string &cat, const std::string &event, const std::string &root) {
    std::string err;
    std::optional<TracepointFormat> tp = find_tracepoint_at(kb(), root, cat, event, &err);
    EXPECT_TRUE(tp.has_value()) << cat << ":" << event << ": " << err;
    return tp ? *tp : TracepointFormat{};
  }
  static const TracepointField *field(const TracepointFormat &tp, const std::string &name) {
    for (const TracepointField &f : tp.fields)
      if (f.name == name) return &f;
    ADD_FAILURE() << "no field " << name << " in " << tp.category << ":" << tp.event;
    return nullptr;
  }

  static KernelBtf *btf_;
  static std::string *root_;
};

KernelBtf *TracepointTest::btf_ = nullptr;
std::string *TracepointTest::root_ = nullptr;

TEST_F(TracepointTest, TracefsRootHasEvents) {
  need_tracefs();
  EXPECT_TRUE(*root_ == "/sys/kernel/tracing" || *root_ == "/sys/kernel/debug/tracing") << *root_;
}

TEST_F(TracepointTest, SysEnterOpenatFromFormatFile) {
  need_tracefs();
  std::string err;
  std::optional<TracepointFormat> tp = find_tracepoint(kb(), "syscalls", "sys_enter_openat", &err);
  ASSERT_TRUE(tp.has_value()) << err;
  EXPECT_EQ(tp->category, "syscalls");
  EXPECT_EQ(tp->event, "sys_enter_openat");
  EXPECT_EQ(tp->btf_struct, "");
  for (const TracepointField &f : tp->fields) EXPECT_NE(f.name.rfind("common_", 0), 0u) << f.name;

  const TracepointField *nr = field(*tp, "__syscall_nr");
  ASSERT_TRUE(nr);
  EXPECT_EQ(nr->offset, 8u);
  EXPECT_EQ(nr->type.kind, TypeKind::Int);
  EXPECT_TRUE(nr->type.is_signed);

  const TracepointField *filename = field(*tp, "filename");
  ASSERT_TRUE(filename);
  EXPECT_EQ(filename->offset, 24u);
  EXPECT_EQ(filename->size, 8u);
  EXPECT_EQ(filename->c_decl, "const char * filename");
  ASSERT_EQ(filename->type.kind, TypeKind::Pointer);
  EXPECT_EQ(filename->type.addr_space, AddrSpace::User);
  EXPECT_EQ(filename->type.inner[0].kind, TypeKind::Int);
  EXPECT_EQ(filename->type.inner[0].size, 1u);

  // Syscall arguments are 8-byte unsigned slots in the format file, whatever their C type.
  const TracepointField *flags = field(*tp, "flags");
  ASSERT_TRUE(flags);
  EXPECT_EQ(flags->offset, 32u);
  EXPECT_EQ(flags->type.kind, TypeKind::Int);
  EXPECT_EQ(flags->type.size, flags->size);
  EXPECT_FALSE(flags->type.is_signed);
}

TEST_F(TracepointTest, SysExitAndNestedUserPointers) {
  need_tracefs();
  TracepointFormat exit = find("syscalls", "sys_exit_openat", *root_);
  const TracepointField *ret = field(exit, "ret");
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->offset, 16u);
  EXPECT_EQ(ret->type.kind, TypeKind::Int);
  EXPECT_EQ(ret->type.size, 8u);
  EXPECT_TRUE(ret->type.is_signed);

  TracepointFormat execve = find("syscalls", "sys_enter_execve", *root_);
  const TracepointField *argv = field(execve, "argv");
  ASSERT_TRUE(argv);
  ASSERT_EQ(argv->type.kind, TypeKind::Pointer);
  EXPECT_EQ(argv->type.addr_space, AddrSpace::User);
  ASSERT_EQ(argv->type.inner[0].kind, TypeKind::Pointer);
  EXPECT_EQ(argv->type.inner[0].addr_space, AddrSpace::User);
}

TEST_F(TracepointTest, SchedSwitchUsesBtfStruct) {
  need_tracefs();
  TracepointFormat tp = find("sched", "sched_switch", *root_);
  EXPECT_EQ(tp.btf_struct, "struct trace_event_raw_sched_switch");
  const TracepointField *comm = field(tp, "prev_comm");
  ASSERT_TRUE(comm);
  EXPECT_EQ(comm->type.kind, TypeKind::String);
  EXPECT_EQ(comm->type.size, 16u);
  EXPECT_EQ(comm->offset, 8u);
  EXPECT_EQ(comm->c_decl, "char prev_comm[16]");
  const TracepointField *pid = field(tp, "next_pid");
  ASSERT_TRUE(pid);
  EXPECT_EQ(pid->type.kind, TypeKind::Int);
  EXPECT_EQ(pid->type.size, 4u);
  EXPECT_TRUE(pid->type.is_signed);
  EXPECT_EQ(tp.fields.front().name, "prev_comm");  // no `ent` header field
}

TEST_F(TracepointTest, DataLocAndByteArrays) {
  need_tracefs();
  TracepointFormat exec = find("sched", "sched_process_exec", *root_);
  const TracepointField *filename = field(exec, "filename");
  ASSERT_TRUE(filename);
  EXPECT_TRUE(filename->is_data_loc);
  EXPECT_EQ(filename->size, 4u);
  EXPECT_FALSE(field(exec, "pid")->is_data_loc);

  // u8 saddr[4] stays an array of bytes (bpftrace makes only char[N] a string); pointers are kernel's.
  TracepointFormat sock = find("sock", "inet_sock_set_state", *root_);
  const TracepointField *saddr = field(sock, "saddr");
  ASSERT_TRUE(saddr);
  ASSERT_EQ(saddr->type.kind, TypeKind::Array);
  EXPECT_EQ(saddr->type.count, 4u);
  EXPECT_EQ(saddr->type.inner[0].size, 1u);
  const TracepointField *skaddr = field(sock, "skaddr");
  ASSERT_TRUE(skaddr);
  EXPECT_EQ(skaddr->type.addr_space, AddrSpace::Kernel);
}

TEST_F(TracepointTest, EventOfSharedClassFallsBackToFormat) {
  need_tracefs();
  // sched_wakeup is a DEFINE_EVENT of sched_wakeup_template: BTF has no trace_event_raw_sched_wakeup.
  ASSERT_FALSE(kb().find_record("struct trace_event_raw_sched_wakeup").has_value());
  TracepointFormat tp = find("sched", "sched_wakeup", *root_);
  EXPECT_EQ(tp.btf_struct, "");
  const TracepointField *comm = field(tp, "comm");
  ASSERT_TRUE(comm);
  EXPECT_EQ(comm->type.kind, TypeKind::String);
}

TEST_F(TracepointTest, UnknownTracepoints) {
  for (const std::string &root : {*root_, std::string()}) {
    std::string err;
    EXPECT_FALSE(find_tracepoint_at(kb(), root, "nosuchcat", "nosuchevent", &err).has_value());
    EXPECT_NE(err.find("No matches for tracepoint nosuchcat:nosuchevent."), std::string::npos) << err;
    err.clear();
    EXPECT_FALSE(find_tracepoint_at(kb(), root, "syscall", "sys_enter_read", &err).has_value());
    EXPECT_NE(err.find("No matches for tracepoint syscall:sys_enter_read."), std::string::npos) << err;
    EXPECT_FALSE(find_tracepoint_at(kb(), root, "..", "sched/sched_switch", &err).has_value());
    EXPECT_FALSE(find_tracepoint_at(kb(), root, "syscalls", "sys_enter_no_such_syscall_btc", &err).has_value());
  }
  std::string err;
  EXPECT_FALSE(find_tracepoint(kb(), "sched", "no_such_event_btc", &err).has_value());
  EXPECT_NE(err.find("sched:no_such_event_btc"), std::string::npos);
}

TEST_F(TracepointTest, ListTracepoints) {
  need_tracefs();
  std::vector<std::string> all = list_tracepoints(kb());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_TRUE(std::binary_search(all.begin(), all.end(), "sched:sched_switch"));
  EXPECT_TRUE(std::binary_search(all.begin(), all.end(), "syscalls:sys_enter_openat"));
}

// ---- without tracefs: kernel BTF only ------------------------------------------------------

TEST_F(TracepointTest, BtfOnlyEventStruct) {
  TracepointFormat tp = find("sched", "sched_switch", "");
  EXPECT_EQ(tp.btf_struct, "struct trace_event_raw_sched_switch");
  const TracepointField *comm = field(tp, "prev_comm");
  ASSERT_TRUE(comm);
  EXPECT_EQ(comm->type.kind, TypeKind::String);
  EXPECT_EQ(comm->c_decl, "char prev_comm[16]");

  TracepointFormat exec = find("sched", "sched_process_exec", "");
  const TracepointField *filename = field(exec, "filename");
  ASSERT_TRUE(filename);
  EXPECT_TRUE(filename->is_data_loc);

  std::string err;
  EXPECT_FALSE(find_tracepoint_at(kb(), "", "sched", "sched_wakeup", &err).has_value());
  EXPECT_NE(err.find("tracefs"), std::string::npos) << err;
}

TEST_F(TracepointTest, BtfOnlySyscalls) {
  TracepointFormat exit = find("syscalls", "sys_exit_openat", "");
  const TracepointField *ret = field(exit, "ret");
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->offset, 16u);
  EXPECT_TRUE(ret->type.is_signed);

  // openat is inlined into its wrappers, so BTF has no prototype with its argument names.
  std::string err;
  if (!kb().has_function("__do_sys_openat")) {
    EXPECT_FALSE(find_tracepoint_at(kb(), "", "syscalls", "sys_enter_openat", &err).has_value());
    EXPECT_NE(err.find("__do_sys_openat"), std::string::npos) << err;
  }
}

// Every syscall whose arguments BTF knows must come out exactly as the tracefs format file says.
TEST_F(TracepointTest, BtfOnlySyscallsMatchTracefs) {
  need_tracefs();
  int compared = 0;
  for (const std::string &fn : kb().function_names()) {
    if (fn.rfind("__do_sys_", 0) != 0) continue;
    std::string event = "sys_enter_" + fn.substr(9), err;
    std::optional<TracepointFormat> real = find_tracepoint_at(kb(), *root_, "syscalls", event, &err);
    if (!real) continue;  // compat-only syscalls have no event on this arch
    std::optional<TracepointFormat> derived = find_tracepoint_at(kb(), "", "syscalls", event, &err);
    ASSERT_TRUE(derived.has_value()) << event << ": " << err;
    ASSERT_EQ(derived->fields.size(), real->fields.size()) << event;
    for (size_t i = 0; i < real->fields.size(); i++) {
      const TracepointField &a = real->fields[i], &b = derived->fields[i];
      EXPECT_EQ(a.name, b.name) << event;
      EXPECT_EQ(a.offset, b.offset) << event << "." << a.name;
      EXPECT_EQ(a.size, b.size) << event << "." << a.name;
      EXPECT_EQ(a.type.kind, b.type.kind) << event << "." << a.name;
      EXPECT_EQ(a.type.size, b.type.size) << event << "." << a.name;
      EXPECT_EQ(a.type.is_signed, b.type.is_signed) << event << "." << a.name;
      EXPECT_EQ(a.type.addr_space, b.type.addr_space) << event << "." << a.name;
    }
    compared++;
  }
  EXPECT_GT(compared, 10);
}

TEST_F(TracepointTest, BtfOnlyList) {
  std::vector<std::string> names = list_tracepoints_at(kb(), "");
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "syscalls:sys_enter_openat"));
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "syscalls:sys_exit_openat"));
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), ":sched_switch"));
  EXPECT_FALSE(std::binary_search(names.begin(), names.end(), "syscalls:sys_enter_ni_syscall"));
}

// ---- the format file parser -----------------------------------------------------------------

const char kSampleFormat[] =
    "name: sample\n"
    "ID: 42\n"
    "format:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
    "\n"
    "\tfield:char label[12];\toffset:8;\tsize:12;\tsigned:0;\n"
    "\tfield:__data_loc char[] path;\toffset:20;\tsize:4;\tsigned:0;\n"
    "\tfield:char *raw;\toffset:24;\tsize:8;\tsigned:0;\n"
    "\tfield:u32 ids[2];\toffset:32;\tsize:8;\tsigned:0;\n"
    "\tfield:int count;\toffset:40;\tsize:8;\tsigned:0;\n"
    "\tfield:no_such_typedef_btc blob;\toffset:48;\tsize:2;\tsigned:1;\n"
    "\n"
    "print fmt: \"label=%s\", REC->label\n";

TEST_F(TracepointTest, ParseFormatText) {
  std::vector<FormatField> fields;
  std::string err;
  ASSERT_TRUE(parse_format_text(kSampleFormat, &fields, &err)) << err;
  ASSERT_EQ(fields.size(), 6u);

  EXPECT_EQ(fields[0].name, "label");
  EXPECT_TRUE(fields[0].is_array);
  EXPECT_EQ(fields[0].array_count, 12u);
  Type label = format_field_type(kb(), fields[0], AddrSpace::Kernel);
  EXPECT_EQ(label.kind, TypeKind::String);
  EXPECT_EQ(label.size, 12u);

  EXPECT_EQ(fields[1].name, "path");
  EXPECT_TRUE(fields[1].is_data_loc);
  EXPECT_EQ(fields[1].offset, 20u);

  EXPECT_EQ(fields[2].name, "raw");
  EXPECT_EQ(fields[2].type, "char *");
  Type raw = format_field_type(kb(), fields[2], AddrSpace::User);
  ASSERT_EQ(raw.kind, TypeKind::Pointer);
  EXPECT_EQ(raw.addr_space, AddrSpace::User);

  Type ids = format_field_type(kb(), fields[3], AddrSpace::Kernel);
  ASSERT_EQ(ids.kind, TypeKind::Array);
  EXPECT_EQ(ids.count, 2u);
  EXPECT_EQ(ids.size, 8u);
  EXPECT_EQ(ids.inner[0].size, 4u);

  Type count = format_field_type(kb(), fields[4], AddrSpace::Kernel);  // size/signed of the format win
  EXPECT_EQ(count.kind, TypeKind::Int);
  EXPECT_EQ(count.size, 8u);
  EXPECT_FALSE(count.is_signed);

  Type blob = format_field_type(kb(), fields[5], AddrSpace::Kernel);  // unknown type: size and sign kept
  EXPECT_EQ(blob.kind, TypeKind::Int);
  EXPECT_EQ(blob.size, 2u);
  EXPECT_TRUE(blob.is_signed);

  TracepointField f = to_tracepoint_field(kb(), fields[2], AddrSpace::User);
  EXPECT_EQ(f.c_decl, "char *raw");
  EXPECT_EQ(f.offset, 24u);
}

TEST_F(TracepointTest, ParseFormatTextRejectsMalformedLines) {
  std::vector<FormatField> fields;
  std::string err;
  EXPECT_FALSE(parse_format_text("\tfield:int x;\toffset:abc;\tsize:4;\tsigned:1;\n", &fields, &err));
  EXPECT_NE(err.find("offset:abc"), std::string::npos) << err;
  EXPECT_FALSE(parse_format_text("\tfield:int;\toffset:8;\tsize:4;\tsigned:1;\n", &fields, &err));
  EXPECT_FALSE(parse_format_text("\tfield:int x;\toffset:8;\tsize:4;\n", &fields, &err));
}

}  // namespace
}  // namespace btc
