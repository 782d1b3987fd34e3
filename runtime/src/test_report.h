// The text bpftrace prints in its test and bench modes (--test, --bench), one probe at a time.
#ifndef BTC_RT_TEST_REPORT_H
#define BTC_RT_TEST_REPORT_H

#include <cstdint>
#include <string>
#include <vector>

namespace btc::rt {

// The lines for test `index` of `names` (the test: probe names in script order): a RUN line,
// then OK, or the test's output (empty lines left out) and FAILED; after the last test the
// summary with every failed test. `passed` holds the outcome of tests 0..index.
std::string test_result_text(const std::vector<std::string> &names, size_t index, uint64_t duration_ns,
                             const std::vector<bool> &passed, const std::string &output);

// The table row for benchmark `index` of `names`, after the table's head for the first one:
// its name, the average run time in ns and how many runs it was averaged over.
std::string bench_result_text(const std::vector<std::string> &names, size_t index, uint64_t average_ns,
                              uint64_t iterations);

}  // namespace btc::rt

#endif
