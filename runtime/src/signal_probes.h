// self:signal:SIGx probes: each time the tool receives the signal, the probe's program runs
// once (through BPF_PROG_TEST_RUN, like BEGIN), from the event loop rather than the handler.
#ifndef BTC_RT_SIGNAL_PROBES_H
#define BTC_RT_SIGNAL_PROBES_H

#include "btc/abi.h"

namespace btc::rt {

class LoadedObject;

// Installs a handler for every signal a probe of `tool` listens to.
void install_signal_probes(const btc_tool &tool);

// Runs the program of every probe whose signal arrived since the last call.
void run_pending_signal_probes(const btc_tool &tool, const LoadedObject &object);

}  // namespace btc::rt

#endif
