// tseries() maps: from merged buckets to the intervals bpftrace shows, and their text graph and
// JSON forms.
//
// Every key shows the window of the last num_intervals intervals, ending at the newest interval
// written under any key, from its own first written interval on; intervals without a value are
// kept (text "-", JSON: left out). Interval starts are epoch * interval_ns read as CLOCK_TAI
// nanoseconds: local time in the text graph, UTC in JSON.
//
// The text graph (53 columns between the time column and the value):
//
//                min (21 columns, left)          max (32 columns, right)
//   hh:mm:ss.ms  |___________________________________________________|
//   10:41:46.700 |                         *                         | 1
//                v___________________________________________________v
//                min                                               max
//
// The time column shows as many fractional digits as the interval between rows needs
// (s, ms, us, ns); a '.' column marks zero when the values cross it.
#ifndef BTC_RT_TSERIES_H
#define BTC_RT_TSERIES_H

#include <cstdint>
#include <string>
#include <vector>

#include "map_data.h"
#include "printable.h"

struct btc_tseries_formatting;  // defined at the end

namespace btc::rt {

struct TseriesPoint {
  uint64_t start_ns = 0;  // interval start, CLOCK_TAI ns
  Printable value;        // kNone: nothing recorded in this interval
};

struct TseriesView {
  std::vector<TseriesPoint> points;  // oldest first
};

// The formatting of tseries maps, reached only through btc_tool.tseries (the generated host code
// sets it when the script has a tseries map), so that other tools do not link it.
void set_tseries_formatting(const btc_tseries_formatting *formatting);
const btc_tseries_formatting *tseries_formatting();

// The views of every entry of a tseries map, in the order of `entries`.
std::vector<TseriesView> build_tseries_views(const btc_map_desc &desc, const std::vector<MapEntry> &entries);

// The graph, each line ending in '\n'; "<no data>" (no newline) when there are no points.
std::string render_tseries_text(const TseriesView &view);
// [{"interval_start":"1970-01-01 00:00:00.500000000","value":9},...]
std::string json_tseries(const TseriesView &view);

}  // namespace btc::rt

struct btc_tseries_formatting {
  std::vector<btc::rt::TseriesView> (*build_views)(const btc_map_desc &desc,
                                                   const std::vector<btc::rt::MapEntry> &entries);
  std::string (*text)(const btc::rt::TseriesView &view);
  std::string (*json)(const btc::rt::TseriesView &view);
};

#endif
