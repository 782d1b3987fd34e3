#include "map_view.h"

#include <algorithm>
#include <cstring>

#include "field_decode.h"

namespace btc::rt {

// ---- ordering ----------------------------------------------------------------

static int compare_field(const btc_field &f, const uint8_t *a, const uint8_t *b) {
  if (f.type == BTC_T_INT || f.type == BTC_T_UINT) {
    int64_t x = read_signed(a + f.offset, f.size), y = read_signed(b + f.offset, f.size);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return memcmp(a + f.offset, b + f.offset, f.size);
}

static bool key_less(const btc_map_desc &desc, const MapEntry &a, const MapEntry &b) {
  for (uint32_t i = 0; i < desc.nkeys; i++) {
    const btc_field &f = desc.keys[i];
    if (a.key.size() < f.offset + f.size || b.key.size() < f.offset + f.size) break;
    int c = compare_field(f, a.key.data(), b.key.data());
    if (c != 0) return c < 0;
  }
  return a.key < b.key;
}

static int64_t signed_average(const MapEntry &e) {
  if (e.count == 0) return 0;
  return static_cast<int64_t>(e.total) / static_cast<int64_t>(e.count);
}

static uint64_t unsigned_average(const MapEntry &e) { return e.count == 0 ? 0 : e.total / e.count; }

static uint64_t bucket_total(const MapEntry &e) {
  uint64_t sum = 0;
  for (uint64_t c : e.buckets) sum += c;
  return sum;
}

static bool plain_is_integer(const btc_map_desc &desc) {
  return desc.kind == BTC_MAP_PLAIN && (desc.value.type == BTC_T_INT || desc.value.type == BTC_T_UINT);
}

static Printable plain_value(const btc_map_desc &desc, const MapEntry &e) {
  if (e.value.size() < desc.value.offset + desc.value.size) {
    std::vector<uint8_t> padded(e.value);
    padded.resize(desc.value.offset + desc.value.size, 0);
    return decode_field(desc.value, padded.data());
  }
  return decode_field(desc.value, e.value.data());
}

// The value an entry sorts by, as an unsigned number in the same order (a signed value with its
// sign bit flipped). One order for every kind keeps std::stable_sort to one instantiation.
static uint64_t value_order(const btc_map_desc &desc, bool is_signed, const MapEntry &e) {
  constexpr uint64_t kSignBit = 1ULL << 63;
  switch (desc.kind) {
    case BTC_MAP_COUNT:
      return e.number;
    case BTC_MAP_SUM:
      return is_signed ? e.number ^ kSignBit : e.number;
    case BTC_MAP_MIN:
    case BTC_MAP_MAX:
      return e.minmax_order;
    case BTC_MAP_AVG:
    case BTC_MAP_STATS:
      return is_signed ? static_cast<uint64_t>(signed_average(e)) ^ kSignBit : unsigned_average(e);
    case BTC_MAP_HIST:
    case BTC_MAP_LHIST:
      return bucket_total(e);
    default:  // BTC_MAP_PLAIN with an integer value
      return is_signed ? static_cast<uint64_t>(plain_value(desc, e).sint) ^ kSignBit : plain_value(desc, e).uint;
  }
}

static bool sorts_by_value(const btc_map_desc &desc) {
  switch (desc.kind) {
    case BTC_MAP_COUNT:
    case BTC_MAP_SUM:
    case BTC_MAP_MIN:
    case BTC_MAP_MAX:
    case BTC_MAP_AVG:
    case BTC_MAP_STATS:
    case BTC_MAP_HIST:
    case BTC_MAP_LHIST:
      return true;
    case BTC_MAP_PLAIN:
      return plain_is_integer(desc);
    default:
      return false;
  }
}

void sort_entries(const btc_map_desc &desc, std::vector<MapEntry> &entries) {
  std::sort(entries.begin(), entries.end(), [&](const MapEntry &a, const MapEntry &b) { return key_less(desc, a, b); });
  if (!sorts_by_value(desc)) return;
  bool is_signed = map_value_is_signed(desc);
  std::stable_sort(entries.begin(), entries.end(), [&](const MapEntry &a, const MapEntry &b) {
    return value_order(desc, is_signed, a) < value_order(desc, is_signed, b);
  });
}

// ---- values ------------------------------------------------------------------

static Printable number(bool is_signed, uint64_t bits, uint64_t div) {
  if (is_signed) return Printable::int64(static_cast<int64_t>(bits) / static_cast<int64_t>(div));
  return Printable::uint64(bits / div);
}

Printable format_entry_value(const btc_map_desc &desc, const MapEntry &entry, uint64_t div) {
  if (div == 0) div = 1;
  bool is_signed = map_value_is_signed(desc);
  switch (desc.kind) {
    case BTC_MAP_PLAIN: {
      Printable value = plain_value(desc, entry);
      if (value.kind == Printable::Kind::kInt) value.sint /= static_cast<int64_t>(div);
      if (value.kind == Printable::Kind::kUint) value.uint /= div;
      return value;
    }
    case BTC_MAP_COUNT:
    case BTC_MAP_SUM:
    case BTC_MAP_MIN:
    case BTC_MAP_MAX:
      return number(is_signed, entry.number, div);
    case BTC_MAP_AVG:
      if (is_signed) return Printable::int64(signed_average(entry) / static_cast<int64_t>(div));
      return Printable::uint64(unsigned_average(entry) / div);
    case BTC_MAP_STATS: {
      std::vector<std::string> names = {"count", "average", "total"};
      if (is_signed)
        return Printable::record(names, {Printable::int64(static_cast<int64_t>(entry.count)),
                                         Printable::int64(signed_average(entry) / static_cast<int64_t>(div)),
                                         Printable::int64(static_cast<int64_t>(entry.total))});
      return Printable::record(names, {Printable::uint64(entry.count), Printable::uint64(unsigned_average(entry) / div),
                                       Printable::uint64(entry.total)});
    }
    default:
      return Printable::none();
  }
}

static HistView format_hist(const btc_map_desc &desc, const MapEntry &entry, uint64_t div) {
  if (desc.kind == BTC_MAP_HIST) return build_log2_hist(entry.buckets, div, desc.hist_bits);
  return build_linear_hist(entry.buckets, desc.lhist_min, desc.lhist_max, desc.lhist_step);
}

// tseries maps keep bpftrace's order (the key bytes) and ignore top and div.
static MapView tseries_map_view(MapView view, MapData data) {
  const btc_map_desc &desc = *data.desc;
  view.kind = MapView::Kind::kTseries;
  std::vector<MapEntry> &entries = data.entries;
  std::sort(entries.begin(), entries.end(), [](const MapEntry &a, const MapEntry &b) { return a.key < b.key; });
  std::vector<TseriesView> series = tseries_formatting() ? tseries_formatting()->build_views(desc, entries)
                                                         : std::vector<TseriesView>(entries.size());
  for (size_t i = 0; i < entries.size(); i++) {
    MapRow row;
    if (!view.scalar) row.key = decode_key(desc, entries[i].key.data());
    row.series = std::move(series[i]);
    view.rows.push_back(std::move(row));
    if (view.scalar) break;
  }
  return view;
}

MapView build_map_view(MapData data, const ViewOptions &options) {
  const btc_map_desc &desc = *data.desc;
  MapView view;
  view.name = desc.name;
  view.scalar = desc.nkeys == 0;
  if (desc.kind == BTC_MAP_TSERIES) return tseries_map_view(std::move(view), std::move(data));
  bool is_hist = desc.kind == BTC_MAP_HIST || desc.kind == BTC_MAP_LHIST;
  if (is_hist)
    view.kind = MapView::Kind::kHist;
  else if (desc.kind == BTC_MAP_AVG || desc.kind == BTC_MAP_STATS)
    view.kind = MapView::Kind::kStats;

  std::vector<MapEntry> &entries = data.entries;
  if (entries.empty() && view.scalar && !is_hist && options.zero_if_empty) {
    MapEntry zero;
    zero.value.assign(desc.value.offset + desc.value.size, 0);
    entries.push_back(std::move(zero));
  }

  sort_entries(desc, entries);
  size_t skip = 0;
  if (options.top && entries.size() > options.top) skip = entries.size() - options.top;

  size_t key_bytes = 0;
  for (uint32_t k = 0; k < desc.nkeys; k++)
    key_bytes = std::max<size_t>(key_bytes, desc.keys[k].offset + desc.keys[k].size);

  for (size_t i = skip; i < entries.size(); i++) {
    MapRow row;
    if (!view.scalar) {
      std::vector<uint8_t> key = entries[i].key;
      if (key.size() < key_bytes) key.resize(key_bytes, 0);
      row.key = decode_key(desc, key.data());
    }
    if (is_hist)
      row.hist = format_hist(desc, entries[i], options.div);
    else
      row.value = format_entry_value(desc, entries[i], options.div);
    view.rows.push_back(std::move(row));
    if (view.scalar) break;  // a scalar map has one value
  }
  return view;
}

}  // namespace btc::rt
