#include "tseries.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <limits>

namespace btc::rt {

static const int kGraphWidth = 53;  // columns from the left '|' to the right '|'
static const int kLabelWidth = 21;  // the minimum's column above and below the graph

// ---- intervals -------------------------------------------------------------------------

static uint64_t newest_epoch(const MapEntry &entry) { return entry.series.empty() ? 0 : entry.series.rbegin()->first; }

static TseriesView build_view(const btc_map_desc &desc, const MapEntry &entry, uint64_t first, uint64_t last) {
  bool is_signed = map_value_is_signed(desc);
  uint64_t start = last;  // the key's first written interval inside the window
  for (const auto &[epoch, value] : entry.series)
    if (epoch >= first) start = std::min(start, epoch);
  TseriesView view;
  if (first > last) return view;  // the window wrapped below epoch 0
  for (uint64_t epoch = start; epoch >= first && epoch <= last; epoch++) {
    TseriesPoint point;
    point.start_ns = epoch * desc.tseries_interval_ns;
    auto it = entry.series.find(epoch);
    if (it != entry.series.end())
      point.value = is_signed ? Printable::int64(static_cast<int64_t>(it->second)) : Printable::uint64(it->second);
    view.points.push_back(std::move(point));
    if (epoch == std::numeric_limits<uint64_t>::max()) break;
  }
  return view;
}

std::vector<TseriesView> build_tseries_views(const btc_map_desc &desc, const std::vector<MapEntry> &entries) {
  std::vector<TseriesView> views;
  if (entries.empty()) return views;
  uint64_t last = 0;
  for (const MapEntry &e : entries) last = std::max(last, newest_epoch(e));
  uint64_t first = last - desc.tseries_num_intervals + 1;
  for (const MapEntry &e : entries) views.push_back(build_view(desc, e, first, last));
  return views;
}

// ---- values ----------------------------------------------------------------------------

static bool has_value(const Printable &p) { return p.kind != Printable::Kind::kNone; }

static bool less(const Printable &a, const Printable &b) {
  if (a.kind != b.kind) return a.kind < b.kind;
  return a.kind == Printable::Kind::kInt ? a.sint < b.sint : a.uint < b.uint;
}

static bool same(const Printable &a, const Printable &b) { return !less(a, b) && !less(b, a); }

static void step(Printable &p, int delta) {
  if (p.kind == Printable::Kind::kInt) {
    if (delta < 0 && p.sint > std::numeric_limits<int64_t>::min()) p.sint--;
    if (delta > 0 && p.sint < std::numeric_limits<int64_t>::max()) p.sint++;
  } else if (p.kind == Printable::Kind::kUint) {
    if (delta < 0 && p.uint > 0) p.uint--;
    if (delta > 0 && p.uint < std::numeric_limits<uint64_t>::max()) p.uint++;
  }
}

// p - other, as bpftrace's graph computes it (0 for a missing value).
static int64_t distance(const Printable &p, int64_t other) {
  if (p.kind == Printable::Kind::kUint) {
    uint64_t v = p.uint;
    if (other < 0) return static_cast<int64_t>(static_cast<uint64_t>(-other) + v);
    if (v > static_cast<uint64_t>(other)) return static_cast<int64_t>(v - static_cast<uint64_t>(other));
    return -static_cast<int64_t>(static_cast<uint64_t>(other) - v);
  }
  if (p.kind == Printable::Kind::kInt) return p.sint - other;
  return 0;
}

static int64_t distance(const Printable &p, const Printable &other) {
  if (other.kind == Printable::Kind::kInt) return distance(p, other.sint);
  if (other.kind == Printable::Kind::kUint) return distance(p, static_cast<int64_t>(other.uint));
  return 0;
}

static std::string label(const Printable &p) { return has_value(p) ? to_text(p) : "null"; }

static std::string pad_right(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

static std::string pad_left(const std::string &s, size_t width) {
  return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

// ---- time ------------------------------------------------------------------------------

struct TimeUnit {
  const char *name;  // "" for whole seconds
  int digits;        // fractional digits shown
  uint64_t divisor;  // ns per shown fractional unit
};

// The unit of the interval between rows (bpftrace's duration_str).
static TimeUnit unit_of(uint64_t interval_ns) {
  if (interval_ns >= 1000000000) return {"", 0, 1};
  if (interval_ns >= 1000000) return {"ms", 3, 1000000};
  if (interval_ns >= 1000) return {"\xce\xbcs", 6, 1000};  // "μs"
  return {"ns", 9, 1};
}

static std::string clock_text(uint64_t ns, const TimeUnit &unit) {
  time_t seconds = static_cast<time_t>(ns / 1000000000);
  struct tm parts {};
  localtime_r(&seconds, &parts);
  char text[64];
  size_t n = strftime(text, sizeof(text), "%H:%M:%S", &parts);
  std::string out(text, n);
  if (unit.digits > 0) {
    snprintf(text, sizeof(text), ".%0*" PRIu64, unit.digits, ns % 1000000000 / unit.divisor);
    out += text;
  }
  return out;
}

static std::string utc_text(uint64_t ns) {
  time_t seconds = static_cast<time_t>(ns / 1000000000);
  struct tm parts {};
  gmtime_r(&seconds, &parts);
  char text[64];
  size_t n = strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &parts);
  snprintf(text + n, sizeof(text) - n, ".%09" PRIu64, ns % 1000000000);
  return text;
}

// ---- rendering -------------------------------------------------------------------------

std::string render_tseries_text(const TseriesView &view) {
  const auto &points = view.points;
  if (points.empty()) return "<no data>";

  Printable min = points.front().value, max = points.front().value;
  for (const TseriesPoint &p : points) {
    if (!has_value(p.value)) continue;
    if (less(p.value, min)) min = p.value;
    if (less(max, p.value)) max = p.value;
  }
  if (same(min, max)) {  // leave room on both sides of a flat line
    step(min, -1);
    step(max, +1);
  }

  uint64_t interval = (points.back().start_ns - points.front().start_ns) / (points.size() > 1 ? points.size() - 1 : 1);
  TimeUnit unit = unit_of(interval);
  std::string time_header = "hh:mm:ss";
  size_t time_width = time_header.size();
  if (unit.digits > 0) {
    time_header += std::string(".") + unit.name;
    time_width += 1 + unit.digits;
  }

  std::string bounds = pad_right(label(min), kLabelWidth) + pad_left(label(max), kGraphWidth - kLabelWidth) + "\n";
  std::string out = std::string(time_width + 1, ' ') + bounds;
  out += pad_right(time_header, time_width + 1) + "|" + std::string(kGraphWidth - 2, '_') + "|\n";

  int zero_column = 0;
  if (distance(min, 0) < 0 && distance(Printable::int64(0), max) < 0)
    zero_column = static_cast<int>(static_cast<float>(kGraphWidth) * static_cast<float>(distance(min, 0)) /
                                   static_cast<float>(distance(min, max)));
  for (const TseriesPoint &p : points) {
    std::string line(kGraphWidth, ' ');
    line.front() = '|';
    line.back() = '|';
    if (zero_column > 0) line[zero_column] = '.';
    out += clock_text(p.start_ns, unit) + " ";
    if (has_value(p.value)) {
      int column = kGraphWidth / 2;
      if (!same(min, max))
        column = static_cast<int>(static_cast<float>(kGraphWidth - 1) * static_cast<float>(distance(min, p.value)) /
                                  static_cast<float>(distance(min, max)));
      line[std::clamp(column, 0, kGraphWidth - 1)] = '*';
      out += line + " " + to_text(p.value) + "\n";
    } else {
      out += line + " -\n";
    }
  }

  std::string bottom(kGraphWidth, '_');
  bottom.front() = 'v';
  bottom.back() = 'v';
  out += std::string(time_width, ' ') + " " + bottom + "\n";
  out += std::string(time_width, ' ') + " " + bounds;
  return out;
}

std::string json_tseries(const TseriesView &view) {
  std::string out = "[";
  bool first = true;
  for (const TseriesPoint &p : view.points) {
    if (!has_value(p.value)) continue;
    if (!first) out += ",";
    first = false;
    out += "{\"interval_start\":\"" + utc_text(p.start_ns) + "\",\"value\":" + to_text(p.value) + "}";
  }
  return out + "]";
}

}  // namespace btc::rt

extern "C" const btc_tseries_formatting btc_tseries_functions = {btc::rt::build_tseries_views,
                                                                 btc::rt::render_tseries_text, btc::rt::json_tseries};
