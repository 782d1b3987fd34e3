// kfunc_exist() / kfunc_allowed(): answered on the machine the tool runs on, before load.
#ifndef BTC_RT_KFUNC_FACTS_H
#define BTC_RT_KFUNC_FACTS_H

#include "btc/abi.h"

namespace btc::rt {

// Fills params.kfunc_answer for each of tool.kfunc_queries from this kernel's vmlinux BTF (and,
// for kfunc_allowed, the verifier's verdict). Without BTF every answer is 0 ("no").
void answer_kfunc_queries(const btc_tool &tool, btc_params &params);

}  // namespace btc::rt

#endif
