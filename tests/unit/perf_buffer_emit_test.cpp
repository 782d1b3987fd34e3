// Issue 4: events leave through btc_submit(ctx, ...), which picks the ring buffer or the perf
// buffer at load time; the perf path's per-CPU record buffer is sized for the largest record.
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

using testing::check;

using testing::has;

std::string bpf_of(const std::string &script) { return testing::emitted_bpf(script); }

TEST(PerfBufferEmit, EventMaxSizeIsTheLargestRecord) {
  // header 8 + u64 8 + comm's char[16] = 32 bytes, more than print(@m, top, div)'s 24
  std::string bpf = bpf_of("begin { printf(\"%d %s\\n\", 1, comm); printf(\"x\\n\"); }");
  EXPECT_TRUE(has(bpf, "#define BTC_EVENT_MAX_SIZE 32\n")) << bpf.substr(0, 400);
  EXPECT_TRUE(has(bpf, "_Static_assert(sizeof(struct btc_printf_0) <= BTC_EVENT_MAX_SIZE"));
  EXPECT_TRUE(has(bpf_of("begin { exit(); }"), "#define BTC_EVENT_MAX_SIZE 24\n"));
}

TEST(PerfBufferEmit, EveryEventIsSubmittedWithTheProgramsContext) {
  std::string bpf = bpf_of("begin { @m[1] = 1; printf(\"p\\n\"); print(1); print(@m, 2, 3); clear(@m); exit(); }");
  EXPECT_FALSE(has(bpf, "bpf_ringbuf_submit"));
  EXPECT_TRUE(has(bpf, "btc_submit(ctx, "));
  EXPECT_TRUE(has(bpf, "btc_submit(ctx, btc_ev")) << "printf and print";
  EXPECT_TRUE(has(bpf, "sizeof(struct btc_event_hdr) + 16);")) << "print(@m, top, div)";
  EXPECT_TRUE(has(bpf, "btc_signal(ctx, BTC_EV_CLEAR_MAP"));
  EXPECT_TRUE(has(bpf, "btc_signal(ctx, BTC_EV_EXIT"));
  EXPECT_TRUE(has(bpf, "btc_update_failed(ctx, "));
}

}  // namespace
}  // namespace btc
