// SIGINT, SIGTERM and SIGHUP ask the tool to stop (then END runs and the maps
// are printed). The handlers do not restart system calls, so a blocking poll
// returns at once.
#ifndef BTC_RT_STOP_SIGNALS_H
#define BTC_RT_STOP_SIGNALS_H

namespace btc::rt {

void install_stop_signals();
bool stop_requested();
void clear_stop_request();

}  // namespace btc::rt

#endif
