// Reading a map and turning it into printable rows in one call; the rows go
// to whichever output format the tool uses (see output.h).
#ifndef BTC_RT_MAP_PRINTER_H
#define BTC_RT_MAP_PRINTER_H

#include <string>

#include "map_reader.h"
#include "map_view.h"

namespace btc::rt {

// False with a message if reading the map failed.
bool read_map_view(const MapHandle &map, const ViewOptions &options, MapView &view, std::string &error);

}  // namespace btc::rt

#endif
