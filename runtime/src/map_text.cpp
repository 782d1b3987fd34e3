#include "map_text.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace btc::rt {

static const int kBarWidth = 52;

// Two labels are neighbours when they are plain integers one apart: the
// bucket then holds a single value and is shown as "[n]".
static bool single_value(const Printable &low, const Printable &high) {
  if (low.kind != high.kind) return false;
  if (low.kind == Printable::Kind::kInt) return low.sint + 1 == high.sint;
  if (low.kind == Printable::Kind::kUint) return low.uint + 1 == high.uint;
  return false;
}

static std::string bucket_text(const HistView &hist, size_t i) {
  const auto &labels = hist.labels;
  if (i == 0) {
    if (!hist.lower_bound) return "(..., " + to_text(labels[0]) + ")";
    const Printable &low = *hist.lower_bound;
    if (labels.empty()) return "[" + to_text(low) + ", ...)";
    if (single_value(low, labels[0])) return "[" + to_text(low) + "]";
    return "[" + to_text(low) + ", " + to_text(labels[0]) + ")";
  }
  if (i >= labels.size()) return "[" + to_text(labels[i - 1]) + ", ...)";
  if (single_value(labels[i - 1], labels[i])) return "[" + to_text(labels[i - 1]) + "]";
  return "[" + to_text(labels[i - 1]) + ", " + to_text(labels[i]) + ")";
}

std::string render_hist_text(const HistView &hist) {
  uint64_t max_count = 0;
  for (uint64_t c : hist.counts) max_count = std::max(max_count, c);

  std::string out;
  for (size_t i = 0; i < hist.counts.size(); i++) {
    // bpftrace scales in single precision; keep its rounding.
    int bar = 0;
    if (max_count > 0) bar = static_cast<int>((hist.counts[i] / static_cast<float>(max_count)) * kBarWidth);
    bar = std::clamp(bar, 0, kBarWidth);

    std::string bucket = bucket_text(hist, i);
    if (bucket.size() < 16) bucket.resize(16, ' ');
    char count[32];
    snprintf(count, sizeof(count), "%8" PRIu64, hist.counts[i]);

    out += bucket;
    out += count;
    out += " |";
    out += std::string(bar, '@');
    out += std::string(kBarWidth - bar, ' ');
    out += "|\n";
  }
  return out;
}

// "(a, b)" -> "a, b" for map keys (bpftrace strips the outer parentheses of
// whatever text starts with '(' and ends with ')').
static std::string key_text(const Printable &key) {
  std::string s = to_text(key);
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  return s;
}

std::string render_map_text(const MapView &view) {
  std::string out;
  for (const MapRow &row : view.rows) {
    out += view.name;
    if (!view.scalar) out += "[" + key_text(row.key) + "]";
    if (view.kind == MapView::Kind::kHist) {
      out += ":\n";
      out += render_hist_text(row.hist);
      out += "\n";
    } else if (view.kind == MapView::Kind::kTseries) {
      out += ":\n";
      out += tseries_formatting() ? tseries_formatting()->text(row.series) : "";
      out += "\n";
    } else {
      out += ": ";
      out += to_text(row.value);
      out += "\n";
    }
  }
  return out;
}

}  // namespace btc::rt
