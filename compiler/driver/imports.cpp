#include "driver/imports.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "parse/parser.h"

namespace fs = std::filesystem;

namespace btc {
namespace {

// ---- ranges of an imported script point into it ---------------------------------------------

void mark(SourceRange &r, const char *file) {
  if (!r.file) r.file = file;
}

void mark(ast::Expr &e, const char *file);

void mark(ast::Stmt &s, const char *file) {
  mark(s.range, file);
  for (ast::ExprPtr *e : {&s.expr, &s.lhs, &s.decl_typeof, &s.iter, &s.range_begin, &s.range_end})
    if (*e) mark(**e, file);
  for (auto &b : s.body) mark(*b, file);
  for (auto &b : s.else_body) mark(*b, file);
}

void mark(ast::Expr &e, const char *file) {
  mark(e.range, file);
  for (auto &a : e.args) mark(*a, file);
  for (auto &b : e.body) mark(*b, file);
}

void mark(ast::Program &p, const char *file) {
  for (auto &r : p.c_definition_ranges) mark(r, file);
  for (auto &c : p.config) mark(c.range, file);
  mark(p.config_range, file);
  for (auto &i : p.imports) mark(i.range, file);
  for (auto &d : p.map_decls) mark(d.range, file);
  for (auto &m : p.macros) {
    mark(m.range, file);
    for (auto &param : m.params) mark(param.range, file);
    if (m.body) mark(*m.body, file);
  }
  for (auto &probe : p.probes) {
    mark(probe.range, file);
    for (auto &ap : probe.attach_points) mark(ap.range, file);
    if (probe.predicate) mark(*probe.predicate, file);
    for (auto &s : probe.body) mark(*s, file);
  }
}

// ---- files ------------------------------------------------------------------------------------

bool others_may_write(const fs::path &p) {
  std::error_code ec;
  auto perms = fs::status(p, ec).permissions();
  return !ec && (perms & fs::perms::others_write) != fs::perms::none;
}

// bpftrace's rule: neither the path nor the directory holding it may be world-writable.
bool safe_location(const fs::path &p) {
  fs::path parent = p.parent_path();
  return !others_may_write(p) && !others_may_write(parent.empty() ? fs::path(".") : parent);
}

bool has_suffix(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string quoted(const fs::path &p) { return "\"" + p.string() + "\""; }

class Resolver {
 public:
  Resolver(ast::Program &root, const std::string &script_name, Diagnostics &diags, ImportedFiles *out)
      : root_(root), diags_(diags), out_(out) {
    display_dir_ = fs::path(script_name).parent_path();
    std::error_code ec;
    root_dir_ = script_name == "stdin" ? fs::current_path(ec) : fs::absolute(display_dir_, ec);
  }

  bool run() {
    size_t errors_before = count_errors();
    resolve_all(root_.imports, root_dir_, display_dir_);
    merge();
    return count_errors() == errors_before;
  }

 private:
  struct Script {
    ast::Program program;
    const SourceFile *file;
  };

  size_t count_errors() const {
    size_t n = 0;
    for (const auto &d : diags_.all())
      if (d.severity == Severity::Error) n++;
    return n;
  }

  void resolve_all(const std::vector<ast::Import> &imports, const fs::path &dir, const fs::path &display_dir) {
    for (const ast::Import &imp : imports) resolve(imp, dir, display_dir);
  }

  // The importing script's directory first, then the main script's.
  void resolve(const ast::Import &imp, const fs::path &dir, const fs::path &display_dir) {
    std::vector<std::pair<fs::path, fs::path>> bases = {{dir, display_dir}};
    if (dir != root_dir_) bases.push_back({root_dir_, display_dir_});
    std::vector<std::string> checked;
    for (const auto &[base, shown] : bases) {
      fs::path path = base / imp.path;
      checked.push_back(path.string());
      std::error_code ec;
      if (!fs::exists(path, ec)) continue;
      if (!safe_location(path)) {
        diags_.warning(DiagKind::Semantic, imp.range, "skipping due to global write permissions: " + quoted(path));
        continue;
      }
      import_path(imp, imp.path, path, (shown / imp.path).lexically_normal(), true);
      return;
    }
    if (imp.path == "stdlib" || imp.path.rfind("stdlib/", 0) == 0) {
      diags_.error(DiagKind::Semantic, imp.range,
                   "bpftrace's built-in standard library files are not part of the documented language: btc "
                   "cannot import '" +
                       imp.path + "'");
      return;
    }
    std::string list;
    for (const auto &c : checked) list += (list.empty() ? "" : ",") + c;
    diags_.error(DiagKind::Semantic, imp.range, "Unable to find suitable path for import");
    diags_.note(imp.range, "checked: " + list);
  }

  // `name`: the import as bpftrace names it ("lib/a.bt"); `shown`: the path diagnostics use.
  void import_path(const ast::Import &imp, const std::string &name, const fs::path &path, const fs::path &shown,
                   bool top) {
    if (!safe_location(path)) {
      diags_.error(DiagKind::Semantic, imp.range,
                   "cowardly refusing to import from a directory with global write permissions: " + quoted(path));
      return;
    }
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (!seen_.insert(canonical.string()).second) return;  // each file or directory once
    if (fs::is_directory(path, ec)) {
      if (!top) return;  // not recursive
      std::vector<fs::path> entries;
      for (const auto &entry : fs::directory_iterator(path, ec)) entries.push_back(entry.path().filename());
      std::sort(entries.begin(), entries.end());
      for (const auto &e : entries) import_path(imp, name + "/" + e.string(), path / e, shown / e, false);
      return;
    }
    std::string file = path.filename().string();
    if (has_suffix(file, ".bt")) {
      import_script(imp, name, canonical, shown);
    } else if (has_suffix(file, ".bpf.c")) {
      out_->c_sources.push_back({canonical.string(), imp.range});
    } else if (has_suffix(file, ".h")) {
      import_header(imp, canonical, shown);
    } else if (has_suffix(file, ".bpf.o")) {
      diags_.error(
          DiagKind::Semantic, imp.range,
          "btc cannot import compiled BPF objects (" + quoted(path.filename()) + "): import the .bpf.c source instead");
    } else if (top) {
      diags_.error(DiagKind::Semantic, imp.range, "unknown import type: " + quoted(path.filename()));
    }
  }

  const SourceFile *read(const ast::Import &imp, const fs::path &path, const fs::path &shown) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      int err = errno;
      diags_.error(DiagKind::Semantic, imp.range, "error reading import '" + quoted(path) + "': " + std::strerror(err));
      return nullptr;
    }
    std::ostringstream text;
    text << in.rdbuf();
    out_->sources.push_back(std::make_unique<SourceFile>(shown.string(), text.str()));
    const SourceFile *file = out_->sources.back().get();
    diags_.add_source(file);
    return file;
  }

  void import_script(const ast::Import &imp, const std::string &name, const fs::path &path, const fs::path &shown) {
    const SourceFile *file = read(imp, path, shown);
    if (!file) return;
    const char *tag = file->name().c_str();
    Diagnostics local(*file);
    Script script{ast::Program{}, file};
    bool parsed = parse_program(*file, local, &script.program);
    for (Diagnostic d : local.all()) {
      mark(d.range, tag);
      if (d.severity == Severity::Error)
        diags_.error(d.kind, d.range, d.message);
      else if (d.severity == Severity::Warning)
        diags_.warning(d.kind, d.range, d.message);
      else
        diags_.note(d.range, d.message);
    }
    if (!parsed) return;
    mark(script.program, tag);
    if (!script.program.config.empty())
      diags_.error(DiagKind::Semantic, script.program.config_range, "invalid `config` within import");
    std::vector<ast::Import> nested = std::move(script.program.imports);
    scripts_.emplace(name + '\0' + path.string(), std::move(script));
    resolve_all(nested, path.parent_path(), shown.parent_path());
  }

  void import_header(const ast::Import &imp, const fs::path &path, const fs::path &shown) {
    const SourceFile *file = read(imp, path, shown);
    if (!file) return;
    for (CHeaderItem &item : c_header_type_items(*file)) {
      item.range.file = file->name().c_str();
      header_definitions_.push_back(std::move(item.text));
      header_ranges_.push_back(item.range);
    }
  }

  // As bpftrace does: the imported scripts in name order; the probes of each go before those
  // merged so far, in reverse order; C definitions, map declarations and macros after them.
  void merge() {
    root_.c_definitions.insert(root_.c_definitions.begin(), header_definitions_.begin(), header_definitions_.end());
    root_.c_definition_ranges.insert(root_.c_definition_ranges.begin(), header_ranges_.begin(), header_ranges_.end());
    for (auto &[key, script] : scripts_) {
      ast::Program &p = script.program;
      for (size_t i = 0; i < p.c_definitions.size(); i++) {
        root_.c_definitions.push_back(std::move(p.c_definitions[i]));
        root_.c_definition_ranges.push_back(i < p.c_definition_ranges.size()
                                                ? p.c_definition_ranges[i]
                                                : SourceRange{{}, {}, script.file->name().c_str()});
      }
      for (auto &d : p.map_decls) root_.map_decls.push_back(std::move(d));
      for (auto &m : p.macros) root_.macros.push_back(std::move(m));
      std::vector<ast::Probe> probes;
      for (auto it = p.probes.rbegin(); it != p.probes.rend(); ++it) probes.push_back(std::move(*it));
      for (auto &probe : root_.probes) probes.push_back(std::move(probe));
      root_.probes = std::move(probes);
    }
  }

  ast::Program &root_;
  Diagnostics &diags_;
  ImportedFiles *out_;
  fs::path root_dir_;     // absolute
  fs::path display_dir_;  // as the main script was named
  std::set<std::string> seen_;
  std::map<std::string, Script> scripts_;  // by import name
  std::vector<std::string> header_definitions_;
  std::vector<SourceRange> header_ranges_;
};

}  // namespace

bool resolve_imports(ast::Program &program, const std::string &script_name, Diagnostics &diags, ImportedFiles *out) {
  if (program.imports.empty()) return true;
  return Resolver(program, script_name, diags, out).run();
}

}  // namespace btc
