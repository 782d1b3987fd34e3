#include "histogram.h"

#include <string>

namespace btc::rt {

// First and last non-empty bucket, or {-1, -1} when all are empty.
static std::pair<int64_t, int64_t> used_range(const std::vector<uint64_t> &buckets) {
  int64_t first = -1, last = -1;
  for (size_t i = 0; i < buckets.size(); i++) {
    if (buckets[i] == 0) continue;
    if (first < 0) first = static_cast<int64_t>(i);
    last = static_cast<int64_t>(i);
  }
  return {first, last};
}

// Label of a log2 bucket above the one-value-per-bucket range: the bucket's
// start value, with a suffix for its power of 1024.
static Printable log2_label(uint64_t index, uint32_t bits) {
  uint64_t n = 1ULL << bits;
  uint64_t interval = index & (n - 1);
  uint32_t power = static_cast<uint32_t>((index >> bits) - 1);
  uint64_t value = (1ULL << power) * (n + interval);

  uint32_t decade = power / 10;
  static const char kSuffixes[] = "\0KMGTPE";
  char suffix = decade < sizeof(kSuffixes) - 1 ? kSuffixes[decade] : '?';
  power -= 10 * decade;

  std::string label = std::to_string((1ULL << power) * (n + interval));
  if (suffix) label += suffix;
  return Printable::symbol(label, value);
}

HistView build_log2_hist(const std::vector<uint64_t> &buckets, uint64_t div, uint32_t bits) {
  HistView hist;
  if (div == 0) div = 1;
  auto [first, last] = used_range(buckets);
  if (first < 0) return hist;

  // Buckets up to 2^(k+1) are labelled with plain numbers.
  int64_t plain_limit = 2LL << bits;
  if (first != 0) {
    int64_t below = first - 1;
    hist.lower_bound = below <= plain_limit ? Printable::int64(below) : log2_label(below, bits);
  }
  for (int64_t i = first; i <= last; i++) {
    if (i <= plain_limit)
      hist.labels.push_back(Printable::int64(i));
    else
      hist.labels.push_back(log2_label(i, bits));
    hist.counts.push_back(buckets[i] / div);
  }
  return hist;
}

static Printable linear_label(int64_t number, int64_t step) {
  const int64_t kilo = 1024, mega = 1024 * 1024;
  if (step % kilo != 0) return Printable::int64(number);
  std::string label;
  if (number == 0)
    label = "0";
  else if (number % mega == 0)
    label = std::to_string(number / mega) + "M";
  else if (number % kilo == 0)
    label = std::to_string(number / kilo) + "K";
  else
    label = std::to_string(number);
  return Printable::symbol(label, static_cast<uint64_t>(number));
}

HistView build_linear_hist(const std::vector<uint64_t> &buckets, int64_t min, int64_t max, int64_t step) {
  HistView hist;
  auto [first, last] = used_range(buckets);
  if (first < 0 || step <= 0) return hist;

  if (first != 0) hist.lower_bound = linear_label(min + (first - 1) * step, step);
  for (int64_t i = first; i <= last; i++) {
    // The overflow bucket has no upper bound, hence no label.
    if (min + i * step <= max) hist.labels.push_back(linear_label(min + i * step, step));
    hist.counts.push_back(buckets[i]);
  }
  return hist;
}

}  // namespace btc::rt
