// SIGINT, SIGTERM and SIGHUP ask the tool to stop (then END runs and the maps
// are printed). The handlers do not restart system calls, so a blocking poll
// returns at once. A second such signal before the stop is handled ends the
// tool at once, and once a Ctrl-C has started the shutdown (END, draining,
// printing maps) SIGINT gets its default action back, so a second Ctrl-C always
// ends the tool at once.
#ifndef BTC_RT_STOP_SIGNALS_H
#define BTC_RT_STOP_SIGNALS_H

namespace btc::rt {

void install_stop_signals();
bool stop_requested();
void clear_stop_request();
void enter_shutdown();

}  // namespace btc::rt

#endif
