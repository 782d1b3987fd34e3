#include "map_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

namespace btc::rt {

MapHandle make_map_handle(const btc_map_desc &desc, const bpf_map *map) {
  MapHandle h;
  h.desc = &desc;
  h.fd = bpf_map__fd(map);
  h.key_size = bpf_map__key_size(map);
  h.value_size = bpf_map__value_size(map);
  switch (bpf_map__type(map)) {
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH:
      h.percpu = true;
      break;
    default:
      h.percpu = false;
  }
  h.hist_slots =
      bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY && (desc.kind == BTC_MAP_HIST || desc.kind == BTC_MAP_LHIST);
  return h;
}

// Per-CPU maps hold one value per possible CPU; 0 when that number cannot be read
// (/sys/devices/system/cpu/possible missing), which callers report instead of guessing.
static unsigned value_copies(const MapHandle &map) {
  if (!map.percpu) return 1;
  int n = libbpf_num_possible_cpus();
  return n > 0 ? static_cast<unsigned>(n) : 0;
}

static bool check_copies(const MapHandle &map, unsigned ncpus, std::string &error) {
  if (ncpus > 0) return true;
  error = "cannot read per-CPU map " + std::string(map.desc->name) +
          ": the number of possible CPUs is unknown (/sys/devices/system/cpu/possible)";
  return false;
}

static size_t value_stride(const MapHandle &map) { return map.percpu ? (map.value_size + 7) / 8 * 8 : map.value_size; }

static std::vector<std::vector<uint8_t>> collect_keys(const MapHandle &map) {
  std::vector<std::vector<uint8_t>> keys;
  std::vector<uint8_t> prev, next(map.key_size);
  while (bpf_map_get_next_key(map.fd, keys.empty() ? nullptr : prev.data(), next.data()) == 0) {
    keys.push_back(next);
    prev = next;
  }
  return keys;
}

// The one element of a hist_slots map: `ncpus` copies of {touched, counts[]}.
static bool read_hist_slots(const MapHandle &map, unsigned ncpus, std::vector<uint8_t> &values, std::string &error) {
  values.assign(value_stride(map) * ncpus, 0);
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(map.fd, &zero, values.data()) == 0) return true;
  error = "cannot read map " + std::string(map.desc->name) + ": " + strerror(errno);
  return false;
}

// An entry of a soft-delete map that BPF's delete() has cleared (abi.h: its live word is 0).
static bool is_dead(const MapHandle &map, const std::vector<uint8_t> &value) {
  uint64_t live = 0;
  if (map.value_size >= sizeof live) memcpy(&live, value.data() + map.value_size - sizeof live, sizeof live);
  return live == 0;
}

bool read_map(const MapHandle &map, MapData &out, std::string &error) {
  unsigned ncpus = value_copies(map);
  if (!check_copies(map, ncpus, error)) return false;
  size_t stride = value_stride(map);
  if (map.hist_slots) {
    std::vector<uint8_t> values;
    if (!read_hist_slots(map, ncpus, values, error)) return false;
    out = merge_elements(*map.desc, hist_slot_elements(values.data(), ncpus, stride, map.value_size / 8 - 1), ncpus, 8);
    return true;
  }
  std::vector<RawElement> raw;
  for (std::vector<uint8_t> &key : collect_keys(map)) {
    RawElement e;
    e.values.resize(stride * ncpus);
    if (bpf_map_lookup_elem(map.fd, key.data(), e.values.data()) != 0) {
      if (errno == ENOENT) continue;  // deleted by BPF while we were reading
      error = "cannot read map " + std::string(map.desc->name) + ": " + strerror(errno);
      return false;
    }
    if (map.desc->soft_delete && is_dead(map, e.values)) continue;
    e.key = std::move(key);
    raw.push_back(std::move(e));
  }
  out = merge_elements(*map.desc, raw, ncpus, stride);
  return true;
}

bool zero_map(const MapHandle &map, std::string &error) {
  if (!check_copies(map, value_copies(map), error)) return false;
  if (map.hist_slots) {  // zero the counts, keep each CPU's "touched" word (a hash keeps its keys)
    std::vector<uint8_t> values;
    if (!read_hist_slots(map, value_copies(map), values, error)) return false;
    size_t stride = value_stride(map);
    for (size_t cpu = 0; cpu < values.size() / stride; cpu++)
      memset(values.data() + cpu * stride + 8, 0, map.value_size - 8);
    uint32_t zero = 0;
    if (bpf_map_update_elem(map.fd, &zero, values.data(), BPF_EXIST) == 0) return true;
    error = "cannot zero map " + std::string(map.desc->name) + ": " + strerror(errno);
    return false;
  }
  std::vector<uint8_t> zero(value_stride(map) * value_copies(map), 0);
  for (std::vector<uint8_t> &key : collect_keys(map)) {
    if (bpf_map_update_elem(map.fd, key.data(), zero.data(), BPF_EXIST) != 0 && errno != ENOENT) {
      error = "cannot zero map " + std::string(map.desc->name) + ": " + strerror(errno);
      return false;
    }
  }
  return true;
}

bool clear_map(const MapHandle &map, std::string &error) {
  std::vector<uint8_t> zero(value_stride(map) * value_copies(map), 0);
  for (std::vector<uint8_t> &key : collect_keys(map)) {
    if (bpf_map_delete_elem(map.fd, key.data()) == 0 || errno == ENOENT) continue;
    if (errno == EINVAL && bpf_map_update_elem(map.fd, key.data(), zero.data(), BPF_EXIST) == 0) continue;
    error = "cannot clear map " + std::string(map.desc->name) + ": " + strerror(errno);
    return false;
  }
  return true;
}

}  // namespace btc::rt
