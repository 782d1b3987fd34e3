// Where the runtime finds the tseries formatting (tseries.h): apart from tseries.cpp, so that
// tools without tseries maps do not link the formatting itself.
#include "tseries.h"

namespace btc::rt {

static const btc_tseries_formatting *g_formatting = nullptr;

void set_tseries_formatting(const btc_tseries_formatting *formatting) { g_formatting = formatting; }

const btc_tseries_formatting *tseries_formatting() { return g_formatting; }

}  // namespace btc::rt
