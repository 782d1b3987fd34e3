#include "map_printer.h"

namespace btc::rt {

bool read_map_view(const MapHandle &map, const ViewOptions &options, MapView &view, std::string &error) {
  MapData data;
  if (!read_map(map, data, error)) return false;
  view = build_map_view(std::move(data), options);
  return true;
}

}  // namespace btc::rt
