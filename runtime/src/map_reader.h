// Access to the BPF maps behind the script's @maps: reading every element,
// clear() and zero().
#ifndef BTC_RT_MAP_READER_H
#define BTC_RT_MAP_READER_H

#include <string>

#include "btc/abi.h"
#include "map_data.h"

struct bpf_map;

namespace btc::rt {

struct MapHandle {
  const btc_map_desc *desc = nullptr;
  int fd = -1;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  bool percpu = false;
  bool hist_slots = false;  // key-less hist/lhist in one per-CPU array element (abi.h)
};

MapHandle make_map_handle(const btc_map_desc &desc, const bpf_map *map);

// Reads and merges all elements (per-CPU maps: libbpf_num_possible_cpus()
// values each, every one rounded up to 8 bytes).
bool read_map(const MapHandle &map, MapData &out, std::string &error);
// Deletes every element (array maps cannot delete; their values are zeroed).
bool clear_map(const MapHandle &map, std::string &error);
// Sets every value to zero, keeping the keys.
bool zero_map(const MapHandle &map, std::string &error);

}  // namespace btc::rt

#endif
