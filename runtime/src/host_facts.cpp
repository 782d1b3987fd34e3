#include "host_facts.h"

#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "event_transport.h"
#include "text_file.h"

namespace btc::rt {

// The lines of `text`, one at a time.
template <typename Fn>
static void for_each_line(std::string_view text, Fn fn) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (fn(line)) return;
    if (end == std::string_view::npos) return;
    text.remove_prefix(end + 1);
  }
}

std::optional<uint64_t> find_kernel_symbol(std::string_view kallsyms, const std::string &name) {
  std::optional<uint64_t> found;
  for_each_line(kallsyms, [&](std::string_view line) {
    size_t a = line.find(' ');
    if (a == std::string_view::npos) return false;
    size_t b = line.find(' ', a + 1);
    if (b == std::string_view::npos) return false;
    std::string_view sym = line.substr(b + 1);
    sym = sym.substr(0, sym.find_first_of(" \t"));
    if (sym != name) return false;
    uint64_t address = strtoull(std::string(line.substr(0, a)).c_str(), nullptr, 16);
    if (address) found = address;
    return true;
  });
  return found;
}

std::string user_name_in(std::string_view passwd, uint64_t uid) {
  std::string name;
  std::string want = std::to_string(uid);
  for_each_line(passwd, [&](std::string_view line) {
    size_t c1 = line.find(':');
    size_t c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    size_t c3 = c2 == std::string_view::npos ? c2 : line.find(':', c2 + 1);
    if (c2 == std::string_view::npos) return false;
    if (line.substr(c2 + 1, c3 == std::string_view::npos ? std::string_view::npos : c3 - c2 - 1) != want) return false;
    name = line.substr(0, c1);
    return true;
  });
  return name;
}

std::string user_name(uint64_t uid) {
  static const std::string passwd = read_text_file("/etc/passwd");
  return user_name_in(passwd, uid);
}

// CLOCK_TAI - CLOCK_BOOTTIME, from the tightest of five TAI/BOOTTIME/TAI readings.
static uint64_t tai_offset_ns() {
  long best = LONG_MAX;
  uint64_t offset = 0;
  for (int i = 0; i < 5; i++) {
    timespec before, boot, after;
    if (clock_gettime(CLOCK_TAI, &before) || clock_gettime(CLOCK_BOOTTIME, &boot) || clock_gettime(CLOCK_TAI, &after) ||
        before.tv_sec != after.tv_sec)
      continue;
    long spread = after.tv_nsec - before.tv_nsec;
    if (spread < 0 || spread >= best) continue;
    best = spread;
    uint64_t tai = static_cast<uint64_t>(before.tv_sec) * 1000000000ULL + before.tv_nsec + spread / 2;
    offset = tai - (static_cast<uint64_t>(boot.tv_sec) * 1000000000ULL + boot.tv_nsec);
  }
  return offset;
}

// `text`, or when it is "$N" the text of positional parameter $N (kaddr(str($N)), cgroupid(str($N))).
static std::string parameter_text(const std::string &text, const btc_params &params) {
  if (text.empty() || text[0] != '$') return text;
  unsigned long n = strtoul(text.c_str() + 1, nullptr, 10);
  if (n < 1 || n > BTC_MAX_PARAMS) return "";
  return std::string(params.param_str[n - 1], strnlen(params.param_str[n - 1], BTC_PARAM_STR_SIZE));
}

// The initial pid namespace's inode number (PROC_PID_INIT_INO).
static constexpr uint64_t kInitPidNamespaceIno = 0xeffffffcULL;

// The offset at which BPF reads comm from task_struct (abi.h, btc_tool.comm_offset): the build
// BTF's, when this kernel is the one that BTF describes (same release, same BTF size); else 0,
// and comm comes from bpf_get_current_comm().
static uint64_t direct_comm_offset(const btc_tool &tool) {
  if (!tool.comm_offset || !tool.build_kernel || getenv("BTC_COMM_HELPER")) return 0;
  struct utsname u;
  struct stat btf;
  if (uname(&u) != 0 || strcmp(u.release, tool.build_kernel) != 0) return 0;
  if (stat("/sys/kernel/btf/vmlinux", &btf) != 0 || static_cast<uint64_t>(btf.st_size) != tool.build_btf_size) return 0;
  return tool.comm_offset;
}

bool fill_host_facts(const btc_tool &tool, btc_params &params, std::string &error, uint32_t &missing) {
  missing = tool.nksyms;  // no symbol is missing
  int cpus = libbpf_num_possible_cpus();
  params.ncpus = cpus > 0 ? static_cast<uint64_t>(cpus) : 1;
  struct stat ns;
  if (stat("/proc/self/ns/pid", &ns) == 0 && ns.st_ino != kInitPidNamespaceIno) {
    params.pidns_dev = ns.st_dev;
    params.pidns_ino = ns.st_ino;
  }
  params.tai_offset_ns = tai_offset_ns();
  params.perf_buffer = use_perf_buffer() ? 1 : 0;
  params.comm_offset = direct_comm_offset(tool);
  if (tool.answer_kfunc_queries) tool.answer_kfunc_queries(&tool, &params);
  for (uint32_t i = 0; tool.cgroup_id_of && i < tool.ncgroupid_paths && i < BTC_MAX_CGROUPIDS; i++) {
    char why[PATH_MAX + 128];
    if (tool.cgroup_id_of(parameter_text(tool.cgroupid_paths[i], params).c_str(), &params.cgroup_id[i], why,
                          sizeof why)) {
      error = why;
      return false;
    }
  }
  if (tool.nksyms == 0) return true;
  std::string kallsyms = read_text_file("/proc/kallsyms");
  for (uint32_t i = 0; i < tool.nksyms && i < BTC_MAX_KSYMS; i++) {
    std::string name = parameter_text(tool.ksyms[i], params);  // kaddr(str($N)): the symbol $N names
    auto address = find_kernel_symbol(kallsyms, name);
    if (!address) {
      error = "Failed to resolve kernel symbol: " + name;
      missing = i;
      return false;
    }
    params.ksym_addr[i] = *address;
  }
  return true;
}

}  // namespace btc::rt
