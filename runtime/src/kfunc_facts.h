// kfunc_exist() / kfunc_allowed(): answered on the machine the tool runs on, before load.
// Tools reach it only through btc_tool.answer_kfunc_queries (btc_answer_kfunc_queries in
// btc/abi.h), set when the script asks such a question, so that other tools do not link it.
#ifndef BTC_RT_KFUNC_FACTS_H
#define BTC_RT_KFUNC_FACTS_H

#include "btc/abi.h"

namespace btc::rt {

// Fills params.kfunc_answer for each of tool.kfunc_queries from this kernel's vmlinux BTF (and,
// for kfunc_allowed, the verifier's verdict). Without BTF every answer is 0 ("no").
void answer_kfunc_queries(const btc_tool &tool, btc_params &params);

}  // namespace btc::rt

#endif
