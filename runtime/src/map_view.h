// From merged map contents to ordered, printable rows: sorting, top/div and
// value formatting as bpftrace does them. Renderer-independent (text now,
// JSON later).
//
// Order: count/sum/min/max maps and maps of integers by value, avg and stats
// maps by average, hist/lhist maps by the total of their buckets, tseries maps
// by their key's bytes, all other maps by key. Ties (and key order) go by key: field by field, integers as
// signed numbers, everything else bytewise.
#ifndef BTC_RT_MAP_VIEW_H
#define BTC_RT_MAP_VIEW_H

#include <cstdint>
#include <string>
#include <vector>

#include "histogram.h"
#include "map_data.h"
#include "printable.h"
#include "tseries.h"

namespace btc::rt {

struct MapRow {
  Printable key;    // kNone for a scalar map
  Printable value;  // count/sum/min/max/avg/plain value, stats record
  HistView hist;    // hist/lhist maps
  TseriesView series;  // tseries maps
};

struct MapView {
  enum class Kind { kValue, kStats, kHist, kTseries };
  std::string name;  // "@x"
  Kind kind = Kind::kValue;
  bool scalar = false;
  std::vector<MapRow> rows;
};

struct ViewOptions {
  uint64_t top = 0;  // keep only the last `top` rows after sorting (0 = all)
  uint64_t div = 1;  // divide values (not lhist) by div (0 = 1)
  // print(@x) of an empty scalar map shows its zero value; at exit nothing.
  bool zero_if_empty = false;
};

void sort_entries(const btc_map_desc &desc, std::vector<MapEntry> &entries);
Printable format_entry_value(const btc_map_desc &desc, const MapEntry &entry, uint64_t div);
MapView build_map_view(MapData data, const ViewOptions &options);

}  // namespace btc::rt

#endif
