// Host-side emission: the C++ file holding the tool's tables (probes, maps, printf formats),
// filled into skeletons/tool_main.cpp.in. No logic is generated here.
#pragma once
#include <string>

#include "ast/ast.h"
#include "check/program_info.h"

namespace btc {

struct HostInputs {
  std::string script_name;  // for comments and source locations
  std::string tool_name;
  std::string help;         // the script's leading comment block
  std::string version;
  std::string obj_path;     // absolute path of the zlib-compressed .bpf.o to .incbin
  size_t obj_raw_size = 0;  // its size uncompressed
  std::string script_text;  // hashed for --version
  std::string build_kernel; // uname -r of the build host
  uint32_t comm_offset = 0;     // task_struct's comm in the build BTF (btc_tool.comm_offset)
  uint64_t build_btf_size = 0;  // that BTF's size in bytes
};

std::string emit_host_cpp(const ProgramInfo &info, const HostInputs &in);

}  // namespace btc
