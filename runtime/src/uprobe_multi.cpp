// Attaching a uprobe glob's shared program to all of its functions (see uprobe_multi.h).
#include "uprobe_multi.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "attach.h"
#include "privilege.h"
#include "uprobe_multi_abi.h"
#include "uprobe_process_matches.h"
#include "user_symbols.h"

namespace btc::rt {

// BPF_LINK_CREATE of a uprobe_multi link; the link's fd, or -1 with errno.
static int create_link(int prog_fd, const char *path, const std::vector<unsigned long> &offsets,
                       const std::vector<uint64_t> &cookies, bool retprobe, int pid) {
  LinkCreateUprobeMultiAttr attr = {};
  attr.prog_fd = static_cast<uint32_t>(prog_fd);
  attr.attach_type = kBpfTraceUprobeMulti;
  attr.path = reinterpret_cast<uintptr_t>(path);
  attr.offsets = reinterpret_cast<uintptr_t>(offsets.data());
  attr.cookies = cookies.empty() ? 0 : reinterpret_cast<uintptr_t>(cookies.data());
  attr.cnt = static_cast<uint32_t>(offsets.size());
  attr.uprobe_flags = retprobe ? kBpfFUprobeMultiReturn : 0;
  attr.pid = pid > 0 ? static_cast<uint32_t>(pid) : 0;
  return static_cast<int>(syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof attr));
}

// A kernel with uprobe_multi links loads a two-instruction program of that attach type and,
// asked to attach it to "/" (not a regular file), says EBADF; older kernels say EINVAL.
bool kernel_has_uprobe_multi() {
  static int known = -1;
  if (known >= 0) return known == 1;
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},  // r0 = 0
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                   // exit
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = static_cast<bpf_attach_type>(kBpfTraceUprobeMulti));
  int prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, nullptr, "GPL", insns, 2, &opts);
  known = 0;
  if (prog >= 0) {
    int link = create_link(prog, "/", {0}, {}, false, 0);
    known = link >= 0 || errno == EBADF;
    if (link >= 0) close(link);
    close(prog);
  }
  return known == 1;
}

// uprobe:*:glob with -p (btc_uprobe_multi.glob): the matches found in the process before load,
// and the names table (BTC_UPROBE_NAMES_MAP) their cookies index.
struct ProcessGlob {
  uint32_t probe;         // index in btc_tool.probes
  uint32_t first_cookie;  // of its first match; the others follow in files' order
  std::vector<ProcessFileMatches> files;
};
static std::vector<ProcessGlob> g_process_globs;
static bpf_map *g_names = nullptr;

// Finds the matches of every uprobe:*:glob in the -p process and sizes the names table to fit;
// how many files have matches.
static uint32_t find_process_globs(const btc_tool &tool, bpf_object *obj) {
  g_process_globs.clear();
  g_names = bpf_object__find_map_by_name(obj, BTC_UPROBE_NAMES_MAP);
  uint32_t cookies = 0, files = 0;
  for (uint32_t i = 0; i < tool.nuprobe_multi; i++) {
    const btc_uprobe_multi &multi = tool.uprobe_multi[i];
    if (!multi.glob) continue;
    ProcessGlob glob{multi.probe, cookies, {}};
    if (target_pid() > 0)
      glob.files = find_process_matches(target_pid(), multi.glob);
    else if (!child_executable().empty())
      glob.files = find_file_matches(child_executable(), multi.glob);
    for (const ProcessFileMatches &file : glob.files) cookies += static_cast<uint32_t>(file.funcs.size());
    files += static_cast<uint32_t>(glob.files.size());
    g_process_globs.push_back(std::move(glob));
  }
  if (g_names) bpf_map__set_max_entries(g_names, cookies > 0 ? cookies : 1);
  return files;
}

static uint32_t prepare(const btc_tool &tool, bpf_object *obj) {
  uint32_t found = find_process_globs(tool, obj);
  if (tool.nuprobe_multi == 0 || !kernel_has_uprobe_multi()) return found;
  for (uint32_t i = 0; i < tool.nuprobe_multi; i++) {
    const btc_probe_desc &probe = tool.probes[tool.uprobe_multi[i].probe];
    if (bpf_program *prog = bpf_object__find_program_by_name(obj, probe.prog_name))
      bpf_program__set_expected_attach_type(prog, static_cast<bpf_attach_type>(kBpfTraceUprobeMulti));
  }
  return found;
}

static std::string errno_reason(int err) {
  if (err == EPERM || err == EACCES) return kPermissionMessage;
  char text[256];
  libbpf_strerror(err, text, sizeof text);
  return text;
}

// Attaches prog at `offsets` of binary with `cookies`: one uprobe_multi link when prog has that
// attach type (see prepare), else one uprobe per offset, all or none. How many, or 0 and a reason.
static uint32_t attach_offsets(bpf_program *prog, const std::string &binary, const std::vector<unsigned long> &offsets,
                               const std::vector<uint64_t> &cookies, bool retprobe, int pid, Links &links,
                               std::string &reason) {
  if (bpf_program__expected_attach_type(prog) == static_cast<bpf_attach_type>(kBpfTraceUprobeMulti)) {
    int fd = create_link(bpf_program__fd(prog), binary.c_str(), offsets, cookies, retprobe, pid);
    if (fd < 0) {
      reason = errno_reason(errno);
      return 0;
    }
    links.add_fd(fd);
    return static_cast<uint32_t>(offsets.size());
  }
  // Older kernels: one uprobe per function, all or none.
  std::vector<bpf_link *> made;
  for (size_t i = 0; i < offsets.size(); i++) {
    LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = cookies[i], .retprobe = retprobe);
    bpf_link *link = bpf_program__attach_uprobe_opts(prog, pid > 0 ? pid : -1, binary.c_str(), offsets[i], &opts);
    if (!link) {
      reason = errno_reason(errno);
      for (bpf_link *l : made) bpf_link__destroy(l);
      return 0;
    }
    made.push_back(link);
  }
  for (bpf_link *l : made) links.add(l);
  return static_cast<uint32_t>(made.size());
}

// uprobe:*:glob: names each match in the table at its cookie ("uprobe:FILE:FUNC", as bpftrace
// names the probes it expands), then attaches in each file; the matches attached.
static uint32_t attach_process_glob(const btc_uprobe_multi &multi, const btc_probe_desc &probe, bpf_program *prog,
                                    int pid, Links &links, std::string &reason) {
  if (pid <= 0 && child_executable().empty()) {
    reason = "the binary '*' needs a target process (-p PID) or a command (-c CMD)";
    return 0;
  }
  const ProcessGlob *glob = nullptr;
  for (const ProcessGlob &g : g_process_globs)
    if (g.probe == multi.probe) glob = &g;
  if (!glob || glob->files.empty() || !g_names) {
    std::string where = pid > 0 ? "the files of process " + std::to_string(pid) : child_executable();
    reason = std::string("no function matches '") + multi.glob + "' in " + where;
    return 0;
  }
  std::string spec = probe.spec ? probe.spec : "uprobe:";
  std::string provider = spec.substr(0, spec.find(':'));
  bool retprobe = probe.kind == BTC_PROBE_URETPROBE;
  uint32_t cookie = glob->first_cookie, attached = 0;
  for (const ProcessFileMatches &file : glob->files) {
    std::vector<uint64_t> cookies;
    for (const std::string &func : file.funcs) {
      btc_uprobe_name name = {};
      snprintf(name.probe, sizeof name.probe, "%s:%s:%s", provider.c_str(), file.path.c_str(), func.c_str());
      snprintf(name.func, sizeof name.func, "%s", func.c_str());
      bpf_map_update_elem(bpf_map__fd(g_names), &cookie, &name, BPF_ANY);
      cookies.push_back(cookie++);
    }
    attached += attach_offsets(prog, file.path, file.offsets, cookies, retprobe, pid, links, reason);
  }
  return attached;
}

static uint32_t attach(const btc_uprobe_multi &multi, const btc_probe_desc &probe, bpf_program *prog, int pid,
                       Links &links, std::string &reason) {
  if (multi.glob) return attach_process_glob(multi, probe, prog, pid, links, reason);
  std::string target = probe.target ? probe.target : "";
  std::string binary = resolve_target_binary(target);
  ElfFunctions elf;
  if (binary.empty() || !elf.load(binary)) {
    reason = binary.empty() ? "binary '" + target + "' not found in PATH or the library directories"
                            : "cannot read " + binary + " as ELF";
    return 0;
  }
  // The functions this binary still has, with their file offsets; cookie i names funcs[i].
  std::vector<unsigned long> offsets;
  std::vector<uint64_t> cookies;
  for (uint32_t i = 0; i < multi.nfuncs; i++) {
    uint64_t vaddr = 0, offset = 0;
    if (!elf.function_address(multi.funcs[i], vaddr) || !elf.offset_of_vaddr(vaddr, offset)) continue;
    offsets.push_back(offset);
    cookies.push_back(i);
  }
  if (offsets.empty()) {
    reason = "function not found in the binary";
    return 0;
  }
  return attach_offsets(prog, binary, offsets, cookies, probe.kind == BTC_PROBE_URETPROBE, pid, links, reason);
}

}  // namespace btc::rt

extern "C" const btc_uprobe_multi_attacher btc_uprobe_multi_functions = {btc::rt::prepare, btc::rt::attach};
