#include "output.h"

#include <cinttypes>
#include <cstdio>

#include "map_json.h"
#include "map_text.h"
#include "output_sink.h"

namespace btc::rt {

bool parse_output_format(std::string_view text, OutputFormat &format) {
  if (text == "text")
    format = OutputFormat::kText;
  else if (text == "json")
    format = OutputFormat::kJson;
  else
    return false;
  return true;
}

// Status messages go to stderr after what the output holds so far, so that
// the two streams interleave in the order things happened.
static void to_stderr(const std::string &text) {
  flush_output();
  fputs(text.c_str(), stderr);
}

static const char kMapFullMessage[] =
    "WARNING: Map full; can't update element. Try increasing max_map_keys config or manually setting the max "
    "entries in a map declaration e.g. `let @a = hash(5000)`\n";

namespace {

// {"type": "<type>", "data": "<text>"} and a newline.
std::string data_record(std::string_view type, std::string_view text) {
  return "{\"type\": \"" + std::string(type) + "\", \"data\": " + json_string(text) + "}\n";
}

class TextOutput : public Output {
 public:
  void printf(std::string_view text) override { write_output(text); }

  // "<file.bt:line:col>: WARNING: <text>" on stderr, one line.
  void diagnostic(bool is_error, std::string_view text, std::string_view source_loc,
                  std::string_view trailer) override {
    std::string line = source_loc.empty() ? "" : std::string(source_loc) + ": ";
    line += is_error ? "ERROR: " : "WARNING: ";
    line += text;
    if (line.back() != '\n') line += '\n';
    line += trailer;
    to_stderr(line);
  }

  void map(const MapView &view) override { write_output(render_map_text(view)); }

  void value(std::string_view text, const Printable &) override { write_output(text); }

  void time(std::string_view text) override { write_output(text); }

  void syscall(std::string_view text) override { write_output(std::string(text) + "\n"); }

  void cat(std::string_view text) override { write_output(text); }

  void join(std::string_view text) override { write_output(std::string(text) + "\n"); }

  [[gnu::cold]] void attached_probes(uint64_t count) override {
    to_stderr("Attached " + std::to_string(count) + (count == 1 ? " probe\n" : " probes\n"));
  }

  void lost_events(uint64_t count) override { to_stderr("Lost " + std::to_string(count) + " events\n"); }

  [[gnu::cold]] void map_full(std::string_view map_name, std::string_view location) override {
    to_stderr((location.empty() ? std::string() : std::string(location) + ": ") + kMapFullMessage +
              "Additional Info - helper: map_update_elem, retcode: -7, map: " + std::string(map_name) + "\n");
  }

  void end() override { write_output("\n\n"); }
};

class JsonOutput : public Output {
 public:
  void printf(std::string_view text) override { write_output(json_printf_record(text)); }

  void diagnostic(bool is_error, std::string_view text, std::string_view source_loc, std::string_view) override {
    write_output(json_diagnostic_record(is_error, text, source_loc));
  }

  void map(const MapView &view) override { write_output(render_map_json(view)); }

  void value(std::string_view, const Printable &value) override { write_output(json_value_record(value)); }

  void time(std::string_view text) override { write_output(json_time_record(text)); }

  void syscall(std::string_view text) override { write_output(data_record("syscall", text)); }

  void cat(std::string_view text) override { write_output(data_record("cat", text)); }

  void join(std::string_view text) override { write_output(data_record("join", text)); }

  void attached_probes(uint64_t count) override { write_output(json_attached_probes_record(count)); }

  void lost_events(uint64_t count) override { write_output(json_lost_events_record(count)); }

  void map_full(std::string_view map_name, std::string_view) override { write_output(json_map_full_record(map_name)); }

  void end() override {}
};

}  // namespace

std::unique_ptr<Output> make_output(OutputFormat format) {
  if (format == OutputFormat::kJson) return std::make_unique<JsonOutput>();
  return std::make_unique<TextOutput>();
}

}  // namespace btc::rt
