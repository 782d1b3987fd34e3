// bpftrace's test and bench mode reports, in its words and colours.
#include "test_report.h"

#include <algorithm>

namespace btc::rt {

static const char kGreen[] = "\033[32m";
static const char kRed[] = "\033[31m";
static const char kReset[] = "\033[0m";

static std::string tag(const char *colour, const char *text) { return std::string(colour) + text + kReset + " "; }

static std::string plural(size_t n) { return n == 1 ? "test" : "tests"; }

// What bpftrace prints in parentheses after a test's outcome: the scale of the unit its run
// time is best shown in, then that unit ("1 ns", "1000 μs", "1000000 ms"), not the run time.
static std::string duration_text(uint64_t ns) {
  if (ns >= 1000000000ULL) return "1000000000 s";
  if (ns >= 1000000ULL) return "1000000 ms";
  if (ns >= 1000ULL) return "1000 \u03bcs";
  return "1 ns";
}

std::string test_result_text(const std::vector<std::string> &names, size_t index, uint64_t duration_ns,
                             const std::vector<bool> &passed, const std::string &output) {
  std::string text;
  if (index == 0) text += tag(kGreen, "[==========]") + "Running " + std::to_string(names.size()) + " tests.\n";
  text += tag(kGreen, "[ RUN      ]") + names[index] + "\n";
  if (passed[index]) {
    text += tag(kGreen, "[       OK ]") + names[index];
  } else {
    size_t start = 0;
    while (start < output.size()) {  // the test's output, without empty lines
      size_t end = output.find('\n', start);
      if (end == std::string::npos) end = output.size();
      if (end > start) text += output.substr(start, end - start) + "\n";
      start = end + 1;
    }
    text += tag(kRed, "[  FAILED  ]") + names[index];
  }
  text += " (" + duration_text(duration_ns) + ")\n";
  if (index + 1 != names.size()) return text;

  size_t npassed = static_cast<size_t>(std::count(passed.begin(), passed.end(), true));
  size_t nfailed = passed.size() - npassed;
  text += tag(kGreen, "[==========]") + std::to_string(names.size()) + " " + plural(names.size()) + " ran.\n";
  text += tag(kGreen, "[  PASSED  ]") + std::to_string(npassed) + " " + plural(npassed) + ".\n";
  if (nfailed > 0) {
    text += tag(kRed, "[  FAILED  ]") + std::to_string(nfailed) + " " + plural(nfailed) + ", listed below:\n";
    for (size_t i = 0; i < passed.size(); i++)
      if (!passed[i]) text += tag(kRed, "[  FAILED  ]") + names[i] + "\n";
  }
  return text;
}

static std::string padded(std::string text, size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

std::string bench_result_text(const std::vector<std::string> &names, size_t index, uint64_t average_ns,
                              uint64_t iterations) {
  const size_t time_width = 15;
  const std::string iterations_head = "Iterations";
  size_t name_width = 40;  // the longest name, at least 40
  for (const std::string &n : names) name_width = std::max(name_width, n.size());
  std::string text;
  if (index == 0) {
    text += padded("Benchmark", name_width + 1) + padded("Time(ns)", time_width) + iterations_head + "\n";
    text += std::string(name_width + 1 + time_width + iterations_head.size(), '-') + "\n";
  }
  text += padded(names[index], name_width + 1) + padded(std::to_string(average_ns), time_width) +
          std::to_string(iterations) + "\n";
  return text;
}

}  // namespace btc::rt
