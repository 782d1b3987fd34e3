#include "driver/header_macros.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "driver/toolchain.h"

namespace fs = std::filesystem;

namespace btc {
namespace {

// "0x10", "(4096)", "22UL", "-1" -> the literal without parentheses and suffixes; "" if it is
// not an integer literal.
std::string integer_literal(std::string v) {
  std::string t;
  for (char c : v)
    if (c != '(' && c != ')' && c != ' ' && c != '\t') t += c;
  while (!t.empty() && (t.back() == 'U' || t.back() == 'L' || t.back() == 'u' || t.back() == 'l')) t.pop_back();
  size_t digits = !t.empty() && t[0] == '-' ? 1 : 0;
  if (digits >= t.size()) return "";
  char *end = nullptr;
  std::strtoull(t.c_str() + digits, &end, 0);
  return end && *end == '\0' ? t : "";
}

}  // namespace

std::vector<std::string> integer_macros(const std::string &define_lines) {
  std::map<std::string, std::string> raw;  // name -> value text, in name order
  std::istringstream in(define_lines);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string directive, name;
    if (!(words >> directive >> name) || directive != "#define" || name.find('(') != std::string::npos) continue;
    std::string value;
    std::getline(words, value);
    raw[name] = value;
  }
  std::vector<std::string> out;
  for (const auto &[name, value] : raw) {
    std::string v = value;
    for (int depth = 0; depth < 8; depth++) {  // EWOULDBLOCK -> EAGAIN -> 11
      std::string trimmed;
      for (char c : v)
        if (c != ' ' && c != '\t') trimmed += c;
      auto it = raw.find(trimmed);
      if (it == raw.end()) break;
      v = it->second;
    }
    std::string literal = integer_literal(v);
    if (!literal.empty()) out.push_back("#define " + name + " " + literal);
  }
  return out;
}

std::vector<std::string> header_integer_macros(const std::string &clang, const std::vector<std::string> &includes,
                                               const std::vector<std::string> &include_dirs) {
  if (includes.empty()) return {};
  std::string tmpl = (fs::temp_directory_path() / "btc-macros.XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return {};
  close(fd);
  {
    std::ofstream src(tmpl);
    for (const auto &inc : includes) src << inc << "\n";
  }
  std::vector<std::string> argv = {clang, "-E", "-dM", "-x", "c"};
  for (const auto &d : include_dirs) argv.push_back("-I" + d);
  argv.push_back(tmpl);
  std::string out;
  int status = run_command(argv, &out);
  std::error_code ec;
  fs::remove(tmpl, ec);
  if (status != 0) return {};
  return integer_macros(out);
}

}  // namespace btc
