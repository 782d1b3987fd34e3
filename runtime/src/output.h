// The tool's output in one of bpftrace's two formats (-f text|json). Every
// message that bpftrace routes through its output object goes through here:
// printf()/warnf()/errorf(), maps, "Attached N probes", lost events and
// map-full warnings. Text puts status messages on stderr; JSON writes
// everything as records to the output (stdout or -o FILE).
#ifndef BTC_RT_OUTPUT_H
#define BTC_RT_OUTPUT_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "map_view.h"

namespace btc::rt {

enum class OutputFormat { kText, kJson };

// "text" or "json"; false for anything else.
bool parse_output_format(std::string_view text, OutputFormat &format);

class Output {
 public:
  virtual ~Output() = default;
  virtual void printf(std::string_view text) = 0;
  // warnf() (is_error false) and errorf(); source_loc is "file.bt:LINE:COL" or "".
  // trailer: lines printed after the message in text output (JSON shows only the message).
  virtual void diagnostic(bool is_error, std::string_view text, std::string_view source_loc,
                          std::string_view trailer) = 0;
  virtual void map(const MapView &view) = 0;
  // print(value): `text` is its text form (with the newline), `value` the decoded value.
  virtual void value(std::string_view text, const Printable &value) = 0;
  // time(): the formatted current time.
  virtual void time(std::string_view text) = 0;
  // system(): the command's output; cat(): the file's contents; join(): the joined arguments.
  virtual void syscall(std::string_view text) = 0;
  virtual void cat(std::string_view text) = 0;
  virtual void join(std::string_view text) = 0;
  virtual void attached_probes(uint64_t count) = 0;
  virtual void lost_events(uint64_t count) = 0;
  // An update of map_name failed because the map is full; location is "file.bt:LINE" or "".
  virtual void map_full(std::string_view map_name, std::string_view location) = 0;
  // After the last event and before the maps are printed at exit.
  virtual void end() = 0;
};

std::unique_ptr<Output> make_output(OutputFormat format);

}  // namespace btc::rt

#endif
