#include "verifier_log.h"

#include <vector>

namespace btc::rt {

static std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

static std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

static std::string_view strip_libbpf_prefix(std::string_view line) {
  static const std::string_view kPrefix = "libbpf: ";
  if (line.substr(0, kPrefix.size()) == kPrefix) line.remove_prefix(kPrefix.size());
  return line;
}

// "prog 'NAME': REST" -> NAME and REST; false if the line is not of that form.
static bool split_prog_line(std::string_view line, std::string_view &name, std::string_view &rest) {
  line = strip_libbpf_prefix(line);
  static const std::string_view kProg = "prog '";
  if (line.substr(0, kProg.size()) != kProg) return false;
  size_t close = line.find("': ", kProg.size());
  if (close == std::string_view::npos) return false;
  name = line.substr(kProg.size(), close - kProg.size());
  rest = line.substr(close + 3);
  return true;
}

LoadFailure find_load_failure(std::string_view output) {
  static const std::string_view kFailed = "BPF program load failed: ";
  static const std::string_view kBegin = "-- BEGIN PROG LOAD LOG --";
  static const std::string_view kEnd = "-- END PROG LOAD LOG --";

  LoadFailure failure;
  std::vector<std::string_view> lines = split_lines(output);
  for (size_t i = 0; i < lines.size(); i++) {
    std::string_view name, rest;
    if (!split_prog_line(lines[i], name, rest)) continue;
    if (rest.substr(0, kFailed.size()) == kFailed) {
      failure.program = std::string(name);
      failure.error = std::string(rest.substr(kFailed.size()));
      failure.verifier_log.clear();
    } else if (rest == kBegin && (failure.program.empty() || failure.program == name)) {
      failure.program = std::string(name);
      std::string log;
      for (i++; i < lines.size() && lines[i] != kEnd; i++) {
        log += lines[i];
        log += '\n';
      }
      failure.verifier_log = std::move(log);
    }
  }
  return failure;
}

static bool is_statistics_line(std::string_view line) {
  return line.substr(0, 10) == "processed " || line.substr(0, 17) == "verification time" ||
         line.substr(0, 11) == "stack depth" || line.substr(0, 2) == "--";
}

VerifierSummary summarize_verifier_log(std::string_view log) {
  VerifierSummary summary;
  std::vector<std::string_view> lines = split_lines(log);

  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    std::string_view line = trim(*it);
    if (line.empty() || is_statistics_line(line)) continue;
    summary.error = std::string(line);
    break;
  }

  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    std::string_view line = trim(*it);
    if (line.substr(0, 1) != ";") continue;
    size_t at = line.rfind(" @ ");
    if (at == std::string_view::npos) continue;
    std::string_view where = line.substr(at + 3);
    size_t slash = where.rfind('/');
    if (slash != std::string_view::npos) where.remove_prefix(slash + 1);
    summary.location = std::string(where);
    break;
  }
  return summary;
}

std::string last_libbpf_message(std::string_view output) {
  std::vector<std::string_view> lines = split_lines(output);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    std::string_view line = trim(*it);
    if (line.substr(0, 8) != "libbpf: ") continue;
    return std::string(strip_libbpf_prefix(line));
  }
  return "";
}

// libbpf 1.x: "extern (var ksym) 'NAME': not found in kernel BTF" and "extern (var ksym) 'NAME':
// incompatible types, expected ... but kernel has ..."; the verifier: "ldimm64 failed to find
// the address for kernel symbol 'NAME'."
std::string unresolved_kernel_variable(std::string_view output) {
  static const std::string_view kExtern = "extern (var ksym) '";
  static const std::string_view kNoAddress = "ldimm64 failed to find the address for kernel symbol '";
  for (std::string_view line : split_lines(output)) {
    line = strip_libbpf_prefix(trim(line));
    if (line.substr(0, kNoAddress.size()) == kNoAddress) {
      size_t close = line.find('\'', kNoAddress.size());
      std::string name(line.substr(kNoAddress.size(), close - kNoAddress.size()));
      return "this kernel cannot give the address of variable '" + name +
             "' that percpu_kaddr() needs (kallsyms lists data symbols only with CONFIG_KALLSYMS_ALL)";
    }
    if (line.substr(0, kExtern.size()) != kExtern) continue;
    size_t close = line.find("': ", kExtern.size());
    if (close == std::string_view::npos) continue;
    std::string name(line.substr(kExtern.size(), close - kExtern.size()));
    std::string_view why = line.substr(close + 3);
    if (why.substr(0, 9) == "not found")
      return "this kernel has no variable '" + name + "' in its BTF (percpu_kaddr(\"" + name + "\") needs it)";
    if (why.substr(0, 12) == "incompatible")
      return "this kernel's variable '" + name +
             "' has another type than the one the tool was built for: " + std::string(why);
  }
  return "";
}

}  // namespace btc::rt
