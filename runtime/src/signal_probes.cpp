#include "signal_probes.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "diag.h"
#include "loader.h"

namespace btc::rt {

static volatile sig_atomic_t g_pending[NSIG];

static void on_probe_signal(int sig) {
  if (sig > 0 && sig < NSIG) g_pending[sig] = 1;
}

void install_signal_probes(const btc_tool &tool) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &p = tool.probes[i];
    if (p.kind != BTC_PROBE_SIGNAL || p.period == 0 || p.period >= NSIG) continue;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_probe_signal;  // no SA_RESTART: the event loop's poll wakes up
    sigemptyset(&sa.sa_mask);
    sigaction(static_cast<int>(p.period), &sa, nullptr);
  }
}

void run_pending_signal_probes(const btc_tool &tool, const LoadedObject &object) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &p = tool.probes[i];
    if (p.kind != BTC_PROBE_SIGNAL || p.period == 0 || p.period >= NSIG || !g_pending[p.period]) continue;
    bpf_program *prog = object.program(p.prog_name);
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    if (!prog || bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0)
      print_error(std::string("cannot run ") + (p.spec ? p.spec : "signal probe") + ": " + strerror(errno));
  }
  // Cleared after the pass so one signal runs every probe that listens to it.
  for (uint32_t i = 0; i < tool.nprobes; i++)
    if (tool.probes[i].kind == BTC_PROBE_SIGNAL && tool.probes[i].period < NSIG) g_pending[tool.probes[i].period] = 0;
}

}  // namespace btc::rt
