// skboutput(): what the checker records about each call, and the pcap files the runtime writes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "btc/abi.h"
#include "check_test_util.h"

namespace btc {
namespace {

std::unique_ptr<testing::Checked> check(const std::string &text) { return testing::check(text, testing::host_btf()); }

TEST(Skboutput, CallsWithTheSamePathAndOffsetShareAnId) {
  auto c = check(
      "rawtracepoint:net_dev_start_xmit { $a = skboutput(\"a.pcap\", args.skb, args.skb.len, 14); "
      "$b = skboutput(\"b.pcap\", args.skb, 1, 0); $c = skboutput(\"a.pcap\", args.skb, 2, 14); "
      "printf(\"%d\\n\", $a); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.skb_outputs.size(), 2u);
  EXPECT_EQ(c->info.skb_outputs[0], (std::pair<std::string, uint64_t>{"a.pcap", 14}));
  EXPECT_EQ(c->info.skb_outputs[1], (std::pair<std::string, uint64_t>{"b.pcap", 0}));
  EXPECT_EQ(to_string(c->info.printfs[0].args[0]), "uint32");
  EXPECT_TRUE(c->info.probes[0].tracing_helpers);  // loaded as tp_btf
}

TEST(Skboutput, RefusedOutsideTracingProgramsAndWithoutLiterals) {
  EXPECT_FALSE(check("tracepoint:syscalls:sys_enter_getpid { skboutput(\"a\", (struct sk_buff *)0, 1, 0); }")->ok);
  EXPECT_FALSE(check("rawtracepoint:net_dev_start_xmit { $p = \"a\"; skboutput($p, args.skb, 1, 0); }")->ok);
  EXPECT_FALSE(check("rawtracepoint:net_dev_start_xmit { skboutput(\"a\", args.skb, 1, -1); }")->ok);
  EXPECT_FALSE(check("rawtracepoint:net_dev_start_xmit { skboutput(\"a\", 1, 1, 0); }")->ok);
  EXPECT_FALSE(check("rawtracepoint:net_dev_start_xmit { skboutput(\"a\", args.skb, 1); }")->ok);
}

std::vector<unsigned char> read_all(const char *path) {
  std::vector<unsigned char> bytes;
  FILE *f = fopen(path, "rb");
  if (!f) return bytes;
  int c;
  while ((c = fgetc(f)) != EOF) bytes.push_back(static_cast<unsigned char>(c));
  fclose(f);
  return bytes;
}

uint32_t u32_at(const std::vector<unsigned char> &b, size_t at) {
  uint32_t v;
  memcpy(&v, b.data() + at, sizeof(v));
  return v;
}

TEST(Skboutput, PcapFileHasTheRawLinkTypeAndMicrosecondRecords) {
  char path[] = "/tmp/btc_pcap_testXXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  const btc_pcap_writer &w = btc_pcap_writer_functions;
  void *file = w.open(path);
  ASSERT_NE(file, nullptr);
  const unsigned char packet[] = {0x45, 0, 0, 20, 1, 2, 3};
  EXPECT_EQ(w.write(file, 1700000000123456789ULL, packet, sizeof(packet)), 0);
  w.close(file);
  std::vector<unsigned char> b = read_all(path);
  unlink(path);
  ASSERT_EQ(b.size(), 24u + 16u + sizeof(packet));
  EXPECT_EQ(u32_at(b, 0), 0xa1b2c3d4u);
  EXPECT_EQ(b[4] | b[5] << 8, 2);  // version 2.4 (host order)
  EXPECT_EQ(b[6] | b[7] << 8, 4);
  EXPECT_EQ(u32_at(b, 16), 65535u);          // snap length
  EXPECT_EQ(u32_at(b, 20), 101u);            // LINKTYPE_RAW
  EXPECT_EQ(u32_at(b, 24), 1700000000u);     // seconds
  EXPECT_EQ(u32_at(b, 28), 123456u);         // microseconds (nanoseconds cut)
  EXPECT_EQ(u32_at(b, 32), sizeof(packet));  // captured
  EXPECT_EQ(u32_at(b, 36), sizeof(packet));  // original
  EXPECT_EQ(memcmp(b.data() + 40, packet, sizeof(packet)), 0);
}

TEST(Skboutput, OpeningAnUnwritablePathFails) {
  EXPECT_EQ(btc_pcap_writer_functions.open("/nonexistent-dir/x.pcap"), nullptr);
}

}  // namespace
}  // namespace btc
