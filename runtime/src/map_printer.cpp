#include "map_printer.h"

#include "map_text.h"

namespace btc::rt {

bool render_map(const MapHandle &map, const ViewOptions &options, std::string &text, std::string &error) {
  MapData data;
  if (!read_map(map, data, error)) return false;
  text = render_map_text(build_map_view(std::move(data), options));
  return true;
}

}  // namespace btc::rt
