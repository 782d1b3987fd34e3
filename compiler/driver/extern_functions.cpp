#include "driver/extern_functions.h"

#include <bpf/btf.h>
#include <stdlib.h>

#include <filesystem>

#include "btf/kernel_btf.h"
#include "driver/toolchain.h"

namespace fs = std::filesystem;

namespace btc {
namespace {

bool passable(const Type &t) { return t.is_int() || t.kind == TypeKind::Bool; }

bool returnable(const Type &t) {
  if (t.kind == TypeKind::Void || passable(t)) return true;
  return t.kind == TypeKind::Pointer && !t.inner.empty() && (t.inner[0].kind == TypeKind::Void || passable(t.inner[0]));
}

ProgramInfo::ExternFunction convert(const std::string &name, const KernelBtf::FunctionProto &proto) {
  ProgramInfo::ExternFunction f;
  f.ret = proto.ret;
  if (!returnable(f.ret)) f.unsupported = "Unable to convert return type of `" + name + "`: " + to_string(f.ret);
  for (const FieldInfo &p : proto.params) {
    f.param_names.push_back(p.name);
    f.params.push_back(p.type);
    if (f.unsupported.empty() && !passable(p.type) && p.type.kind != TypeKind::Pointer)
      f.unsupported =
          "Unable to convert argument type of `" + name + "`, argument `" + p.name + "`: " + to_string(p.type);
  }
  return f;
}

// The global functions in the BTF of one compiled file.
void read_functions(const KernelBtf &btf, ProgramInfo *info) {
  const struct btf *b = btf.raw();
  for (uint32_t id = 1; id < btf__type_cnt(b); id++) {
    const struct btf_type *t = btf__type_by_id(b, id);
    if (!btf_is_func(t) || btf_vlen(t) == BTF_FUNC_STATIC) continue;
    std::string name = btf__name_by_offset(b, t->name_off);
    auto proto = btf.function_proto(name);
    if (!proto) continue;
    info->extern_functions[name] = convert(name, *proto);
  }
}

std::string first_error_line(const std::string &out) {
  size_t at = out.find("error:");
  if (at == std::string::npos) return out.substr(0, out.find('\n'));
  size_t begin = out.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return out.substr(begin, out.find('\n', at) - begin);
}

}  // namespace

bool read_extern_functions(const std::vector<ImportedCSource> &sources, const std::string &clang,
                           const std::vector<std::string> &include_dirs, Diagnostics &diags, ProgramInfo *info) {
  if (sources.empty()) return true;
  std::string tmpl = (fs::temp_directory_path() / "btc-import.XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    diags.error(DiagKind::Tool, sources[0].range, "cannot create a temporary directory");
    return false;
  }
  const fs::path dir = tmpl;
  bool ok = true;
  for (size_t i = 0; i < sources.size(); i++) {
    const ImportedCSource &src = sources[i];
    info->c_sources.push_back(src.path);
    fs::path obj = dir / (std::to_string(i) + ".o");
    std::vector<std::string> cc = {
        clang, "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I" + fs::path(src.path).parent_path().string()};
    for (const auto &d : include_dirs) cc.push_back("-I" + d);
    cc.insert(cc.end(), {"-c", src.path, "-o", obj.string()});
    std::string out, err;
    if (clang.empty() || run_command(cc, &out) != 0) {
      diags.error(DiagKind::Tool, src.range, "failed to build");
      diags.note(src.range, clang.empty() ? "no clang found to compile " + src.path : first_error_line(out));
      ok = false;
      continue;
    }
    auto btf = KernelBtf::load(obj.string(), &err);
    if (btf) read_functions(*btf, info);  // no BTF: a file without functions
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return ok;
}

}  // namespace btc
