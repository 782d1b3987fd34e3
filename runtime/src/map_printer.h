// Reading a map and rendering it as text in one call.
#ifndef BTC_RT_MAP_PRINTER_H
#define BTC_RT_MAP_PRINTER_H

#include <string>

#include "map_reader.h"
#include "map_view.h"

namespace btc::rt {

// The text of one map (may be empty); false with a message if reading failed.
bool render_map(const MapHandle &map, const ViewOptions &options, std::string &text, std::string &error);

}  // namespace btc::rt

#endif
