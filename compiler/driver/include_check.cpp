#include "driver/include_check.h"

#include <sys/utsname.h>

#include <filesystem>
#include <sstream>

#include "driver/toolchain.h"

namespace fs = std::filesystem;

namespace btc {

// clang's "#include <...> search starts here:" list.
static std::vector<std::string> clang_default_dirs(const std::string &clang) {
  std::vector<std::string> dirs;
  if (clang.empty()) return dirs;
  std::string out;
  if (run_command({clang, "-Wp,-v", "-x", "c", "-fsyntax-only", "/dev/null"}, &out) != 0) return dirs;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line) && line != "#include <...> search starts here:") {
  }
  while (std::getline(lines, line) && line != "End of search list.") {
    size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos) dirs.push_back(line.substr(first));
  }
  return dirs;
}

// The running kernel's header directories, when its build or source tree is installed.
static std::vector<std::string> kernel_header_dirs() {
  std::vector<std::string> dirs;
  struct utsname u;
  if (uname(&u) != 0) return dirs;
  for (const char *tree : {"build", "source"}) {
    fs::path root = fs::path("/lib/modules") / u.release / tree;
    for (const char *sub : {"arch/x86/include", "arch/x86/include/generated", "include", "arch/x86/include/uapi",
                            "arch/x86/include/generated/uapi", "include/uapi", "include/generated/uapi"}) {
      std::error_code ec;
      if (fs::is_directory(root / sub, ec)) dirs.push_back((root / sub).string());
    }
  }
  return dirs;
}

std::vector<std::string> include_search_dirs(const std::string &clang, const std::vector<std::string> &include_dirs) {
  std::vector<std::string> dirs = include_dirs;
  std::vector<std::string> system = clang_default_dirs(clang);
  if (system.empty()) system = {"/usr/local/include", "/usr/include"};
  struct utsname u;
  if (uname(&u) == 0) system.push_back(std::string("/usr/include/") + u.machine + "-linux-gnu");
  dirs.insert(dirs.end(), system.begin(), system.end());
  std::vector<std::string> kernel = kernel_header_dirs();
  dirs.insert(dirs.end(), kernel.begin(), kernel.end());
  return dirs;
}

// "#  include  <a/b.h>": the header name, whether it was quoted, and where it starts.
struct IncludeLine {
  std::string header;
  bool quoted = false;
  size_t offset = 0;  // of the '<' or '"'
};

static std::string directive_of(const std::string &line, size_t *after) {
  size_t p = line.find_first_not_of(" \t", 1);  // after the '#'
  if (p == std::string::npos) return "";
  size_t end = line.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", p);
  if (end == std::string::npos) end = line.size();
  *after = end;
  return line.substr(p, end - p);
}

static bool parse_include(const std::string &line, IncludeLine *inc) {
  size_t after = 0;
  if (line.empty() || line[0] != '#' || directive_of(line, &after) != "include") return false;
  size_t open = line.find_first_not_of(" \t", after);
  if (open == std::string::npos || (line[open] != '<' && line[open] != '"')) return false;
  char close_char = line[open] == '<' ? '>' : '"';
  size_t close = line.find(close_char, open + 1);
  if (close == std::string::npos) return false;
  inc->header = line.substr(open + 1, close - open - 1);
  inc->quoted = line[open] == '"';
  inc->offset = open;
  return true;
}

static bool header_exists(const IncludeLine &inc, const std::vector<std::string> &dirs) {
  std::error_code ec;
  if (!inc.header.empty() && inc.header[0] == '/') return fs::is_regular_file(inc.header, ec);
  if (inc.quoted && fs::is_regular_file(inc.header, ec)) return true;
  for (const std::string &d : dirs)
    if (fs::is_regular_file(fs::path(d) / inc.header, ec)) return true;
  return false;
}

bool has_includes(const ast::Program &program) {
  IncludeLine inc;
  for (const std::string &d : program.c_definitions)
    if (parse_include(d, &inc)) return true;
  return false;
}

bool check_includes(const ast::Program &program, const std::vector<std::string> &dirs, Diagnostics &diags) {
  bool ok = true;
  int conditional_depth = 0;
  for (size_t i = 0; i < program.c_definitions.size(); i++) {
    const std::string &line = program.c_definitions[i];
    size_t after = 0;
    std::string directive = line.empty() || line[0] != '#' ? "" : directive_of(line, &after);
    if (directive == "if" || directive == "ifdef" || directive == "ifndef") conditional_depth++;
    if (directive == "endif" && conditional_depth > 0) conditional_depth--;
    IncludeLine inc;
    if (conditional_depth > 0 || !parse_include(line, &inc) || header_exists(inc, dirs)) continue;
    SourceRange r = i < program.c_definition_ranges.size() ? program.c_definition_ranges[i] : SourceRange{};
    r.begin.col += static_cast<int>(inc.offset);
    r.end = r.begin;
    r.end.col += static_cast<int>(inc.header.size()) + 1;
    diags.error(DiagKind::Semantic, r, "'" + inc.header + "' file not found");
    ok = false;
  }
  return ok;
}

}  // namespace btc
