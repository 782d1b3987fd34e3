// percpu_kaddr(): the per-CPU variables of the host's kernel BTF, the checker's rules, and the
// typed ksyms and helper calls that reach the BPF C.
#include <gtest/gtest.h>

#include "check_test_util.h"
#include "emit/bpf_emitter.h"

namespace btc {
namespace {

using testing::check;
using testing::host_btf;

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

class PercpuKaddr : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!host_btf()) GTEST_SKIP() << "no kernel BTF";
    if (!host_btf()->percpu_var_type("runqueues")) GTEST_SKIP() << "this kernel's BTF lists no runqueues";
  }
};

TEST_F(PercpuKaddr, BtfKnowsPerCpuVariablesOnly) {
  const KernelBtf &btf = *host_btf();
  std::optional<int> rq = btf.percpu_var_type("runqueues");
  ASSERT_TRUE(rq.has_value());
  EXPECT_EQ(btf.named_base_type(*rq), "struct rq");
  std::optional<int> count = btf.percpu_var_type("process_counts");
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(btf.named_base_type(*count), "");                 // unsigned long: nothing to define
  EXPECT_FALSE(btf.percpu_var_type("jiffies").has_value());   // an ordinary global
  EXPECT_FALSE(btf.percpu_var_type("vfs_read").has_value());  // a function
  std::vector<std::string> names = btf.percpu_var_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "runqueues"), names.end());
}

TEST_F(PercpuKaddr, VariablesBecomeTypedKsyms) {
  auto c = check(
      "begin { print(*percpu_kaddr(\"process_counts\")); $r = (struct rq *)percpu_kaddr(\"runqueues\", 1);"
      " if ($r != 0) { print($r->nr_running); } print(percpu_kaddr(\"runqueues\", cpu) - percpu_kaddr(\"runqueues\")); "
      "}",
      host_btf());
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.percpu_vars.size(), 2u);  // runqueues once, though used three times
  EXPECT_EQ(c->info.percpu_vars[0].name, "process_counts");
  EXPECT_EQ(c->info.percpu_vars[1].name, "runqueues");
  const auto &records = c->info.kernel_records;
  EXPECT_NE(std::find(records.begin(), records.end(), "struct rq"), records.end());
  std::string bpf = emit_bpf_c(c->prog, c->info, host_btf(), "t.bt", "t.bpf.c");
  EXPECT_TRUE(has(bpf, "extern const struct rq runqueues __ksym;")) << bpf;
  EXPECT_TRUE(has(bpf, "extern const long unsigned int process_counts __ksym;"));
  EXPECT_TRUE(has(bpf, "btc_percpu_addr(bpf_this_cpu_ptr(&process_counts))"));
  EXPECT_TRUE(has(bpf, "btc_percpu_addr(bpf_per_cpu_ptr(&runqueues, (__u32)("));
}

TEST_F(PercpuKaddr, ResultIsAKernelAddressLikeKaddr) {
  auto c = check("begin { $p = percpu_kaddr(\"process_counts\"); $n = *$p; $m = $n + 1; }", host_btf());
  ASSERT_TRUE(c->ok) << c->errors();
}

TEST_F(PercpuKaddr, Refusals) {
  using testing::expect_refusal;
  using testing::Refusal;
  const Refusal refusals[] = {
      {"begin { print(percpu_kaddr(\"runqueue\")); }",
       "could not resolve per-CPU variable \"runqueue\" from kernel BTF, did you mean runqueues?", 28},
      {"begin { print(percpu_kaddr(\"jiffies\")); }", "could not resolve per-CPU variable \"jiffies\"", 28},
      {"begin { $n = \"runqueues\"; print(percpu_kaddr($n)); }",
       "needs a per-CPU kernel variable name as a string literal", 46},
      {"begin { print(percpu_kaddr(\"runqueues\", \"0\")); }", "needs an integer CPU number, not string", 41},
      {"begin { print(percpu_kaddr(\"runqueues\", 0, 1)); }", "percpu_kaddr() takes 1 to 2 arguments, got 3", 15},
      {"begin { print(percpu_kaddr()); }", "percpu_kaddr() takes 1 to 2 arguments, got 0", 15},
  };
  for (const Refusal &r : refusals) expect_refusal(*check(r.script, host_btf()), r);
}

TEST(PercpuKaddrWithoutBtf, NeedsKernelBtf) {
  auto c = check("begin { print(percpu_kaddr(\"runqueues\")); }");
  EXPECT_FALSE(c->ok);
  EXPECT_TRUE(has(c->first_error(), "percpu_kaddr() needs kernel BTF")) << c->first_error();
}

}  // namespace
}  // namespace btc
