// Which program each kprobe/fentry probe loads: its own or its twin (runtime/src/twin_choice.h),
// and how --check reports a probe that runs as its twin.
#include "twin_choice.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "probe_check.h"

using namespace btc::rt;

namespace {

btc_probe_desc probe(uint32_t kind, const char *func, bool has_twin) {
  btc_probe_desc p = {};
  p.prog_name = "p";
  p.kind = kind;
  p.func = func;
  p.fallback_prog = has_twin ? "p_twin" : nullptr;
  return p;
}

btc_tool tool_of(const std::vector<btc_probe_desc> &probes) {
  btc_tool tool = {};
  tool.name = "t";
  tool.probes = probes.data();
  tool.nprobes = static_cast<uint32_t>(probes.size());
  return tool;
}

// A kernel on which fentry attaches to every function except those in `refused`; records
// which functions it was asked about.
struct FakeTrampolines {
  std::set<std::string> refused;
  std::vector<std::string> asked;
  FentryTrial trial() {
    return [this](const btc_probe_desc &p, std::string &reason) {
      asked.push_back(p.func);
      if (!refused.count(p.func)) return true;
      reason = "Device or resource busy";
      return false;
    };
  }
};

std::vector<bool> use_twin(const std::vector<TwinDecision> &decisions) {
  std::vector<bool> out;
  for (const TwinDecision &d : decisions) out.push_back(d.use_twin);
  return out;
}

TEST(TwinChoice, FentryThatCannotAttachRunsAsItsKprobeTwin) {
  std::vector<btc_probe_desc> probes = {probe(BTC_PROBE_FENTRY, "traced", true),
                                        probe(BTC_PROBE_FEXIT, "notrace_fn", true),
                                        probe(BTC_PROBE_FENTRY, "notrace_fn", true)};
  FakeTrampolines kernel;
  kernel.refused = {"notrace_fn"};
  auto d = choose_twins(tool_of(probes), TwinInputs{.kprobes = true}, kernel.trial());
  EXPECT_EQ(use_twin(d), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(d[1].why, "fexit cannot attach: Device or resource busy");
  EXPECT_EQ(d[2].why, "fentry cannot attach: Device or resource busy");
  EXPECT_EQ(kernel.asked, (std::vector<std::string>{"traced", "notrace_fn", "notrace_fn"}));
}

TEST(TwinChoice, FentryWithoutTwinKeepsItsOwnProgramUntried) {
  // fexit reading args, fentry with more than 6 arguments: no kprobe twin, nothing to try.
  std::vector<btc_probe_desc> probes = {probe(BTC_PROBE_FEXIT, "notrace_fn", false)};
  FakeTrampolines kernel;
  kernel.refused = {"notrace_fn"};
  auto d = choose_twins(tool_of(probes), TwinInputs{.kprobes = true}, kernel.trial());
  EXPECT_EQ(use_twin(d), (std::vector<bool>{false}));
  EXPECT_TRUE(kernel.asked.empty());
}

TEST(TwinChoice, WithoutKprobesFentryStaysAndKprobesTakeTheirFentryTwins) {
  std::vector<btc_probe_desc> probes = {probe(BTC_PROBE_FENTRY, "notrace_fn", true), probe(BTC_PROBE_KPROBE, "f", true),
                                        probe(BTC_PROBE_KRETPROBE, "f", true), probe(BTC_PROBE_KPROBE, "g", false)};
  FakeTrampolines kernel;
  kernel.refused = {"notrace_fn"};
  auto d = choose_twins(tool_of(probes), TwinInputs{.kprobes = false}, kernel.trial());
  EXPECT_EQ(use_twin(d), (std::vector<bool>{false, true, true, false}));
  EXPECT_EQ(d[1].why, "kprobes are not supported by this kernel");
  EXPECT_TRUE(kernel.asked.empty());  // a kprobe twin could not attach either
}

TEST(TwinChoice, KprobesKeepTheirOwnProgramsWhereKprobesExist) {
  std::vector<btc_probe_desc> probes = {probe(BTC_PROBE_KPROBE, "f", true), probe(BTC_PROBE_TRACEPOINT, "x", false)};
  FakeTrampolines kernel;
  auto d = choose_twins(tool_of(probes), TwinInputs{.kprobes = true}, kernel.trial());
  EXPECT_EQ(use_twin(d), (std::vector<bool>{false, false}));
}

TEST(TwinChoice, FentryProgramsThatDoNotLoadSendEveryFentryProbeToItsTwin) {
  std::vector<btc_probe_desc> probes = {probe(BTC_PROBE_FENTRY, "a", true), probe(BTC_PROBE_FEXIT, "b", true),
                                        probe(BTC_PROBE_FEXIT, "c", false), probe(BTC_PROBE_KPROBE, "d", true)};
  FakeTrampolines kernel;
  for (bool kprobes : {true, false}) {
    auto d =
        choose_twins(tool_of(probes), TwinInputs{.kprobes = kprobes, .fentry_does_not_load = true}, kernel.trial());
    // Not even a kprobe's fentry twin helps then.
    EXPECT_EQ(use_twin(d), (std::vector<bool>{true, true, false, false})) << kprobes;
    EXPECT_EQ(d[0].why, "fentry/fexit programs do not load on this kernel");
  }
  EXPECT_TRUE(kernel.asked.empty());
}

TEST(TwinChoice, TwinSpecNamesWhatTheTwinAttachesAs) {
  EXPECT_EQ(twin_spec(probe(BTC_PROBE_FENTRY, "vfs_read", true)), "kprobe:vfs_read");
  EXPECT_EQ(twin_spec(probe(BTC_PROBE_FEXIT, "vfs_read", true)), "kretprobe:vfs_read");
  EXPECT_EQ(twin_spec(probe(BTC_PROBE_KPROBE, "vfs_read", true)), "fentry:vfs_read");
  EXPECT_EQ(twin_spec(probe(BTC_PROBE_KRETPROBE, "vfs_read", true)), "fexit:vfs_read");
}

TEST(TwinChoice, CheckReportNamesTheTwin) {
  ProbeReport report{"fentry:f", ProbeStatus::kOk, "", "as kprobe:f: fentry cannot attach: Device or resource busy"};
  EXPECT_EQ(format_probe_report(report), "fentry:f: OK (as kprobe:f: fentry cannot attach: Device or resource busy)\n");
}

}  // namespace
