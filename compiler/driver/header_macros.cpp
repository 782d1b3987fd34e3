#include "driver/header_macros.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "driver/toolchain.h"

namespace fs = std::filesystem;

namespace btc {
namespace {

// "35", "(4096)", "-1", "0x10UL" -> the value; nullopt for anything else.
std::optional<int64_t> integer_literal(std::string v) {
  std::string s;
  for (char c : v)
    if (c != '(' && c != ')' && !isspace(static_cast<unsigned char>(c))) s += c;
  while (!s.empty() && (s.back() == 'U' || s.back() == 'L' || s.back() == 'u' || s.back() == 'l')) s.pop_back();
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  if (s.empty() || !isdigit(static_cast<unsigned char>(s[0]))) return std::nullopt;
  char *end = nullptr;
  unsigned long long n = std::strtoull(s.c_str(), &end, 0);
  if (!end || *end) return std::nullopt;
  return neg ? -static_cast<int64_t>(n) : static_cast<int64_t>(n);
}

bool is_identifier(const std::string &s) {
  if (s.empty() || isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace

std::map<std::string, int64_t> parse_integer_macros(const std::string &defines) {
  std::map<std::string, int64_t> out;
  std::map<std::string, std::string> aliases;  // #define A B, resolved once every line is read
  std::istringstream in(defines);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string directive, name, value;
    if (!(words >> directive >> name) || directive != "#define" || name.find('(') != std::string::npos) continue;
    std::getline(words, value);
    value.erase(0, value.find_first_not_of(" \t"));
    if (auto v = integer_literal(value))
      out[name] = *v;
    else if (is_identifier(value))
      aliases[name] = value;
  }
  for (int round = 0; round < 4; round++)  // chains of aliases, a few deep
    for (const auto &[name, target] : aliases)
      if (!out.count(name) && out.count(target)) out[name] = out[target];
  return out;
}

std::map<std::string, int64_t> header_integer_macros(const std::string &clang,
                                                     const std::vector<std::string> &c_definitions,
                                                     const std::vector<std::string> &include_dirs) {
  std::string includes;
  for (const auto &d : c_definitions)
    if (d.rfind("#include", 0) == 0) includes += d + "\n";
  if (includes.empty() || clang.empty()) return {};
  std::string tmpl = (fs::temp_directory_path() / "btc-includes.XXXXXX.c").string();
  int fd = mkstemps(tmpl.data(), 2);
  if (fd < 0) return {};
  close(fd);
  std::ofstream(tmpl) << includes;
  std::vector<std::string> cmd = {clang, "-E", "-dM", "-x", "c", tmpl};
  for (const auto &d : include_dirs) cmd.push_back("-I" + d);
  std::string out;
  int rc = run_command(cmd, &out);
  fs::remove(tmpl);
  return rc == 0 ? parse_integer_macros(out) : std::map<std::string, int64_t>{};
}

}  // namespace btc
