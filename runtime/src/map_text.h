// bpftrace's text rendering of maps:
//
//   @x: 5                      scalar
//   @x[key]: 5                 keyed; tuple keys lose their outer parentheses
//   @x[a, b]: { .count = 2, .average = 3, .total = 6 }   stats
//   @h:                        hist/lhist: name line, one row per bucket,
//   [4, 8)   3 |@@@@...|       then an empty line
//
// Histogram rows: the bucket, left-aligned in 16 columns, the count
// right-aligned in 8, and a bar of up to 52 '@' scaled to the largest count.
#ifndef BTC_RT_MAP_TEXT_H
#define BTC_RT_MAP_TEXT_H

#include <string>

#include "histogram.h"
#include "map_view.h"

namespace btc::rt {

std::string render_hist_text(const HistView &hist);
std::string render_map_text(const MapView &view);

}  // namespace btc::rt

#endif
