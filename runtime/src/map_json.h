// bpftrace's JSON output (-f json): one JSON document per line (NDJSON).
//
//   {"type": "printf", "data": "text"}
//   {"type": "map", "data": {"@x": 5}}                        scalar map
//   {"type": "map", "data": {"@x": {"a": 1, "b,2": 2}}}       keyed map
//   {"type": "stats", "data": {"@s": {"count": 2, ...}}}      avg() and stats() maps
//   {"type": "hist", "data": {"@h": [{"min": 2, "max": 3, "count": 1}]}}
//   {"type": "value", "data": ...}                            print(value)
//   {"type": "time", "data": "12:00:00\n"}                    time()
//   {"type": "attached_probes", "count": 1, "data": {"probes": 1}}
//   {"type": "lost_events", "count": 3, "data": {"events": 3}}
//
// The conventions are bpftrace's: objects separate members with ", ",
// arrays with ","; map keys are the key's text with the outer parentheses
// of a tuple and every space removed; integers that a double cannot hold
// exactly are written as strings; symbols are written as their number;
// histogram rows give closed intervals (max = next label - 1).
#ifndef BTC_RT_MAP_JSON_H
#define BTC_RT_MAP_JSON_H

#include <cstdint>
#include <string>
#include <string_view>

#include "histogram.h"
#include "map_view.h"
#include "printable.h"

namespace btc::rt {

std::string json_string(std::string_view text);
std::string json_int(int64_t value);
std::string json_uint(uint64_t value);
std::string json_value(const Printable &value);
std::string json_key(const Printable &key);
std::string json_hist(const HistView &hist);

// The record of a map, with its newline; "" when bpftrace prints nothing
// (an empty map, except avg/stats maps, which print "{}").
std::string render_map_json(const MapView &view);

std::string json_printf_record(std::string_view text);
std::string json_value_record(const Printable &value);
std::string json_time_record(std::string_view text);
std::string json_attached_probes_record(uint64_t count);
std::string json_lost_events_record(uint64_t count);
// warnf()/errorf(): source_loc is "file.bt:LINE:COL" (may be empty).
std::string json_diagnostic_record(bool is_error, std::string_view message, std::string_view source_loc);
// A map update that failed because the map is full (-E2BIG).
std::string json_map_full_record(std::string_view map_name);

}  // namespace btc::rt

#endif
