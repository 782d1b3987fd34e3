#include "driver/compile.h"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "btf/kernel_btf.h"
#include "check/checker.h"
#include "diag/diagnostics.h"
#include "driver/compress_object.h"
#include "driver/extern_functions.h"
#include "driver/header_macros.h"
#include "driver/imports.h"
#include "driver/include_check.h"
#include "driver/toolchain.h"
#include "emit/bpf_emitter.h"
#include "emit/host_emitter.h"
#include "emit/template_fill.h"
#include "expand/macro_expansion.h"
#include "parse/parser.h"

namespace fs = std::filesystem;

namespace btc {

// Where the tool's BPF code may read comm when it runs on the kernel of the BTF it is built
// against (btc_tool.comm_offset): task_struct's comm there, if that kernel has
// bpf_get_current_task_btf(), and the BTF's size, by which the runtime recognises the kernel.
static void direct_comm_facts(const KernelBtf &btf, const std::string &btf_path, HostInputs &hi) {
  std::error_code ec;
  uint64_t size = fs::file_size(btf_path, ec);
  auto task = btf.find_record("struct task_struct");
  auto comm = task ? btf.find_field(*task, "comm") : std::nullopt;
  if (ec || !comm || comm->offset_bits % 64 != 0 || comm->type.size != 16 ||
      !btf.enum_value("BPF_FUNC_get_current_task_btf"))
    return;
  hi.comm_offset = comm->offset_bits / 8;
  hi.build_btf_size = size;
}
namespace {

bool read_file(const std::string &path, std::string *out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool write_file(const fs::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// Tool name: the output's basename made into an identifier-ish string (BPF object names are short).
std::string tool_name_of(const std::string &output) {
  std::string base = fs::path(output).filename().string();
  if (base.empty()) base = "btc_tool";
  return base;
}

// A scratch directory that removes itself unless the user asked to keep the files.
class WorkDir {
 public:
  explicit WorkDir(const std::string &keep) {
    if (!keep.empty()) {
      path_ = fs::absolute(keep);
      fs::create_directories(path_);
      keep_ = true;
    } else {
      std::string tmpl = (fs::temp_directory_path() / "btc.XXXXXX").string();
      if (mkdtemp(tmpl.data())) path_ = tmpl;
    }
  }
  ~WorkDir() {
    std::error_code ec;
    if (!keep_ && !path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path &path() const { return path_; }
  bool ok() const { return !path_.empty(); }

 private:
  fs::path path_;
  bool keep_ = false;
};

int tool_error(const std::string &msg) {
  std::cerr << "btc: error: " << msg << "\n";
  return 1;
}

std::string multiarch_include() {
  for (const char *d : {"/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu"})
    if (fs::exists(fs::path(d) / "asm")) return d;
  return "";
}

}  // namespace

int compile(const CompileOptions &opts) {
  // ---- read ----
  std::string text, display_name;
  if (!opts.script_path.empty()) {
    if (!read_file(opts.script_path, &text)) return tool_error("cannot read " + opts.script_path);
    display_name = opts.script_path;
  } else {
    text = opts.program_text;
    display_name = "stdin";
  }
  SourceFile file(display_name, text);
  Diagnostics diags(file);

  // ---- lex + parse ----
  ast::Program program;
  ImportedFiles imported;  // outlives the diagnostics that point into imported files
  if (!parse_program(file, diags, &program) || !resolve_imports(program, display_name, diags, &imported) ||
      !expand_macros(program, diags)) {
    diags.render(std::cerr);
    return 1;
  }

  // ---- check (types, BTF, tracepoints) ----
  std::string btf_err;
  auto btf = KernelBtf::load(opts.btf_path, &btf_err);
  ProgramInfo info;
  info.tool_name = tool_name_of(opts.output);
  info.unsafe = opts.unsafe;
  bool ok = true;
  if (has_includes(program)) {
    Toolchain found;
    std::string ignored;
    std::string clang = find_toolchain(&found, &ignored) ? found.clang : "";
    ok = check_includes(program, include_search_dirs(clang, opts.include_dirs), diags);
    // Integer macros of the headers (EPERM from <errno.h>, __NR_getpid from <syscall.h>).
    std::vector<std::string> dirs = opts.include_dirs;
    if (!multiarch_include().empty()) dirs.push_back(multiarch_include());
    if (ok && !clang.empty()) info.header_macros = header_integer_macros(clang, program.c_definitions, dirs);
  }
  if (!imported.c_sources.empty()) {
    Toolchain found;
    std::string ignored;
    std::string clang = find_toolchain(&found, &ignored) ? found.clang : "";
    ok = read_extern_functions(imported.c_sources, clang, opts.include_dirs, diags, &info) && ok;
  }
  ok = check_program(program, btf.get(), diags, &info) && ok;
  diags.render(std::cerr);
  if (!ok) {
    if (!btf) std::cerr << "btc: note: kernel BTF unavailable: " << btf_err << "\n";
    return 1;
  }

  // ---- tools ----
  Toolchain tc;
  std::string tc_err;
  if (!find_toolchain(&tc, &tc_err)) return tool_error(tc_err);
  WorkDir work(opts.emit_dir);
  if (!work.ok()) return tool_error("cannot create a temporary directory");
  const fs::path dir = work.path();
  std::string stem = fs::path(opts.output).filename().string();

  // ---- emit BPF C ----
  std::string c_name = stem + ".bpf.c";
  std::string bpf_c = emit_bpf_c(program, info, btf.get(), display_name, c_name);
  for (const char *name : {"btc_bpf.h", "btc_syscall_names.h", "btc_dw_unwind.h", "abi.h"})
    if (!write_file(dir / name, embedded_file(name))) return tool_error("cannot write " + (dir / name).string());
  if (!write_file(dir / c_name, bpf_c)) return tool_error("cannot write " + (dir / c_name).string());

  // ---- clang -target bpf ----
  fs::path obj = dir / (stem + ".bpf.o");
  std::vector<std::string> cc = {tc.clang, "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86",
                                 "-Wno-unused-value", "-Wno-unused-variable", "-I" + dir.string()};
  std::string ma = multiarch_include();
  if (!ma.empty()) cc.push_back("-I" + ma);
  for (const auto &d : opts.include_dirs) cc.push_back("-I" + d);
  cc.insert(cc.end(), {"-c", (dir / c_name).string(), "-o", obj.string()});
  std::string out;
  if (opts.verbose) std::cerr << "btc: running clang: " << (dir / c_name).string() << "\n";
  if (run_command(cc, &out) != 0) {
    std::cerr << out;
    return tool_error("BPF compilation failed (clang); use --emit-dir to inspect the generated C");
  }
  // The DWARF clang writes with -g only serves to make BTF: libbpf and the verifier's line info
  // use .BTF and .BTF.ext, which `strip -g` keeps. About 10 KB less in every tool.
  if (!tc.llvm_strip.empty() && run_command({tc.llvm_strip, "-g", obj.string()}, &out) != 0) {
    std::cerr << out;
    return tool_error("llvm-strip -g failed on " + obj.string());
  }
  fs::path packed_obj = obj;
  packed_obj += ".z";
  size_t obj_raw_size = 0;
  std::string pack_error;
  if (!compress_object(obj.string(), packed_obj.string(), obj_raw_size, pack_error)) return tool_error(pack_error);

  // ---- host tables + link ----
  HostInputs hi;
  hi.script_name = display_name;
  hi.tool_name = info.tool_name;
  hi.help = program.leading_comment;
  hi.version = BTC_VERSION;
  hi.obj_path = fs::absolute(packed_obj).string();
  hi.obj_raw_size = obj_raw_size;
  hi.script_text = text;
  struct utsname uts;
  if (uname(&uts) == 0) hi.build_kernel = uts.release;
  if (btf) direct_comm_facts(*btf, opts.btf_path, hi);
  fs::path host = dir / (stem + ".host.cpp");
  if (!write_file(host, emit_host_cpp(info, hi))) return tool_error("cannot write " + host.string());

  // Link to a temporary name next to the output, then rename: no partial output on failure.
  fs::path final_out = fs::absolute(opts.output);
  fs::path tmp_out = final_out;
  tmp_out += ".btc-tmp";
  // -u: the runtime's terminate handler (runtime/src/terminate_handler.cpp), not libstdc++'s.
  std::vector<std::string> ld = {tc.cxx, "-O2", "-static", "-s", "-Wl,--gc-sections",
                                 "-Wl,-u,_ZN9__gnu_cxx27__verbose_terminate_handlerEv",
                                 "-std=c++17", "-I" + tc.runtime_include,
                                 host.string(), tc.runtime_lib, "-lbpf", "-lelf", "-lz", "-lzstd",
                                 "-o", tmp_out.string()};
  if (opts.verbose) std::cerr << "btc: linking " << final_out.string() << "\n";
  if (run_command(ld, &out) != 0) {
    std::error_code ec;
    fs::remove(tmp_out, ec);
    std::cerr << out;
    return tool_error("linking the executable failed");
  }
  std::error_code ec;
  fs::rename(tmp_out, final_out, ec);
  if (ec) {
    fs::remove(tmp_out, ec);
    return tool_error("cannot write " + final_out.string());
  }
  return 0;
}

}  // namespace btc
