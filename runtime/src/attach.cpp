#include "attach.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <linux/perf_event.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "child_process.h"
#include "diag.h"
#include "libbpf_log.h"
#include "link_close.h"
#include "loader.h"
#include "output_sink.h"
#include "perf_event.h"
#include "privilege.h"
#include "text_file.h"
#include "uprobe_multi.h"
#include "usdt_process.h"
#include "user_symbols.h"

namespace btc::rt {

// -p PID: uprobes and USDT probes attach to this process only (-1: all).
static int g_target_pid = -1;

void set_target_pid(int pid) { g_target_pid = pid > 0 ? pid : -1; }

int target_pid() { return g_target_pid; }

static int g_child_pid = -1;

void set_child_pid(int pid) { g_child_pid = pid > 0 ? pid : -1; }

static std::string g_child_executable;

void set_child_executable(const std::string &path) { g_child_executable = path; }

const std::string &child_executable() { return g_child_executable; }

void Links::park_perf_events() {
  std::vector<int> link_fds;
  for (bpf_link *link : links_) link_fds.push_back(bpf_link__fd(link));
  park_.park(link_fds);
}

static PathSeenBy g_path_seen_by = nullptr;

void set_path_seen_by(PathSeenBy seen_by) { g_path_seen_by = seen_by; }

// A uprobe/usdt binary as the -p process sees it: under /proc/PID/root when that process is in
// another mount namespace (a container), as bpftrace does.
static std::string seen_by_target(const std::string &path) {
  char buf[4096];
  if (g_path_seen_by && !path.empty() && g_path_seen_by(g_target_pid, path.c_str(), buf, sizeof buf)) return buf;
  return path;
}

// Each link is destroyed while a dup of its fd keeps it alive, which is cheap; the dups are then
// closed all at once, so that the kernel's waits in the detaches overlap (link_close.h).
void Links::destroy_all() {
  std::vector<int> last = std::move(fds_);
  fds_.clear();
  for (bpf_link *link : links_) {
    int held = dup(bpf_link__fd(link));
    if (held >= 0) last.push_back(held);
    bpf_link__destroy(link);
  }
  links_.clear();
  close_all_at_once(last);
  park_.release();
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

static bool tracefs_available() {
  return exists("/sys/kernel/tracing/events") || exists("/sys/kernel/debug/tracing/events");
}

bool kprobes_available() {
  return exists("/sys/bus/event_source/devices/kprobe/type") || exists("/sys/kernel/tracing/kprobe_events") ||
         exists("/sys/kernel/debug/tracing/kprobe_events");
}

static bool is_elf_file(const std::string &path) {
  FILE *f = fopen(path.c_str(), "re");
  if (!f) return false;
  char magic[4] = {};
  bool elf = fread(magic, 1, 4, f) == 4 && memcmp(magic,
                                                  "\x7f"
                                                  "ELF",
                                                  4) == 0;
  fclose(f);
  return elf;
}

// "libc" -> /lib/x86_64-linux-gnu/libc.so.6: the first ELF file among NAME,
// NAME.so.* and NAME.so in the usual library directories (NAME.so is often
// a linker script).
static std::string find_library(const std::string &name) {
  static const char *const kDirs[] = {
      "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"};
  for (const char *dir : kDirs) {
    std::string base = std::string(dir) + "/" + name;
    std::vector<std::string> candidates = {base};
    if (DIR *d = opendir(dir)) {
      std::vector<std::string> versioned;
      std::string prefix = name + ".so.";
      while (dirent *entry = readdir(d)) {
        std::string file = entry->d_name;
        if (file.compare(0, prefix.size(), prefix) == 0) versioned.push_back(std::string(dir) + "/" + file);
      }
      closedir(d);
      std::sort(versioned.begin(), versioned.end());
      candidates.insert(candidates.end(), versioned.begin(), versioned.end());
    }
    candidates.push_back(base + ".so");
    for (const std::string &candidate : candidates)
      if (is_elf_file(candidate)) return candidate;
  }
  return "";
}

std::string resolve_binary(const std::string &name) {
  if (name.find('/') != std::string::npos) return name;  // a library need not be executable
  std::string in_path = find_executable(name);
  if (!in_path.empty()) return in_path;
  return find_library(name);
}

std::string resolve_target_binary(const std::string &name) { return seen_by_target(resolve_binary(name)); }

// A reason for a failed attach, from errno and what the kernel offers.
static std::string reason_for(const btc_probe_desc &probe, int err) {
  if (err == EPERM || err == EACCES) return kPermissionMessage;
  switch (probe.kind) {
    case BTC_PROBE_TRACEPOINT:
      if (!tracefs_available()) return "tracefs is not mounted (mount -t tracefs tracefs /sys/kernel/tracing)";
      if (err == ENOENT) return "tracepoint does not exist on this kernel";
      break;
    case BTC_PROBE_KPROBE:
    case BTC_PROBE_KRETPROBE:
      if (!kprobes_available()) return "kprobes are not supported by this kernel";
      if (err == ENOENT || err == EINVAL) return "kernel function not found or not traceable";
      break;
    case BTC_PROBE_RAWTP:
      if (err == ENOENT) return "raw tracepoint does not exist on this kernel";
      break;
    case BTC_PROBE_UPROBE:
    case BTC_PROBE_URETPROBE:
      if (err == ENOENT || err == ESRCH) return "function not found in the binary";
      break;
    case BTC_PROBE_USDT:
      if (err == ENOENT || err == ESRCH) return "USDT probe not found in the binary";
      break;
    case BTC_PROBE_INTERVAL:
    case BTC_PROBE_PROFILE:
    case BTC_PROBE_SOFTWARE:
      if (err == ENOENT || err == EOPNOTSUPP) return "perf event not supported by this kernel";
      break;
    case BTC_PROBE_HARDWARE:
      if (err == ENOENT || err == EOPNOTSUPP || err == ENODEV)
        return "hardware performance counters are not available on this machine";
      break;
    case BTC_PROBE_WATCHPOINT:
      if (err == ENOSPC) return "no more hardware breakpoint registers left";
      if (err == ENOENT || err == EOPNOTSUPP || err == ENODEV)
        return "hardware breakpoints are not available on this machine";
      if (err == ESRCH) return "the traced process has exited";
      break;
    case BTC_PROBE_FENTRY:
    case BTC_PROBE_FEXIT:
      if (!kprobes_available()) return "neither fentry nor kprobes can attach on this kernel";
      if (err == ENOENT || err == EINVAL) return "kernel function not found or not traceable";
      break;
    default:
      break;
  }
  char text[256];
  libbpf_strerror(err, text, sizeof(text));  // knows libbpf's own codes (>= 4000) too
  return text;
}

// Opens one perf event per CPU and attaches prog to each.
static bool attach_perf(const btc_probe_desc &probe, bpf_program *prog, uint64_t config, uint64_t period,
                        const std::vector<int> &cpus, Links &links, std::string &reason,
                        uint32_t type = PERF_TYPE_SOFTWARE) {
  if (period == 0) {
    reason = "the period must be greater than zero";
    return false;
  }
  for (int cpu : cpus) {
    int fd = open_perf_event(type, config, period, cpu);
    if (fd < 0) {
      reason = reason_for(probe, -fd);
      return false;
    }
    bpf_link *link = bpf_program__attach_perf_event(prog, fd);
    if (!link) {
      int err = errno;
      close(fd);
      reason = reason_for(probe, err);
      return false;
    }
    links.add(link);
  }
  return true;
}

// One breakpoint per thread of the traced process (-p, else -c), else one per CPU. Threads and
// CPUs may vanish meanwhile: only when nothing could be opened is it an error.
static bool attach_watchpoint(const btc_probe_desc &probe, bpf_program *prog, Links &links, std::string &reason) {
  int pid = g_target_pid > 0 ? g_target_pid : g_child_pid;
  std::vector<int> tids = pid > 0 ? process_threads(pid) : std::vector<int>{-1};
  std::vector<int> cpus = pid > 0 ? std::vector<int>{-1} : online_cpus();
  int last_err = pid > 0 ? ESRCH : 0;
  size_t opened = 0;
  for (int cpu : cpus) {
    for (int tid : tids) {
      int fd = open_breakpoint_event(probe.offset, probe.period, probe.func ? probe.func : "", tid, cpu);
      if (fd < 0) {
        last_err = -fd;
        continue;
      }
      bpf_link *link = bpf_program__attach_perf_event(prog, fd);
      if (!link) {
        last_err = errno;
        close(fd);
        continue;
      }
      links.add(link);
      opened++;
    }
  }
  if (opened == 0) reason = reason_for(probe, last_err);
  return opened > 0;
}

// uprobe:*:func and usdt:*:provider:name with -p PID: bpftrace looks in every file the process
// maps. The files, in the order of /proc/PID/maps, each once; empty (and a reason) without -p.
static std::vector<std::string> target_process_files(std::string &reason) {
  if (g_target_pid <= 0) {
    reason = "the binary '*' needs a target process (-p PID)";
    return {};
  }
  std::vector<std::string> files;
  for (const Mapping &m : parse_proc_maps(read_text_file("/proc/" + std::to_string(g_target_pid) + "/maps")))
    if (std::find(files.begin(), files.end(), m.path) == files.end() && exists(m.path.c_str())) files.push_back(m.path);
  if (files.empty()) reason = "no mapped files in process " + std::to_string(g_target_pid);
  return files;
}

// Attaches `attach_one(binary)` in each file of the target process; true when one succeeded.
static bool attach_in_process_files(const std::function<bpf_link *(const std::string &)> &attach_one, Links &links,
                                    std::string &reason) {
  std::vector<std::string> files = target_process_files(reason);
  if (files.empty()) return false;
  bool attached = false;
  for (const std::string &file : files) {
    if (bpf_link *link = attach_one(file)) {
      links.add(link);
      attached = true;
    }
  }
  if (!attached) reason = "not found in the files of process " + std::to_string(g_target_pid);
  return attached;
}

static bool attach_uprobe(const btc_probe_desc &probe, bpf_program *prog, Links &links, std::string &reason) {
  std::string target = probe.target ? probe.target : "";
  if (target == "*" && probe.func && *probe.func) {
    LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = probe.kind == BTC_PROBE_URETPROBE, .func_name = probe.func);
    auto attach_one = [&](const std::string &file) {
      return bpf_program__attach_uprobe_opts(prog, g_target_pid, file.c_str(), probe.offset, &opts);
    };
    return attach_in_process_files(attach_one, links, reason);
  }
  std::string binary = resolve_target_binary(target);
  if (binary.empty()) {
    reason = "binary '" + target + "' not found in PATH or the library directories";
    return false;
  }
  if (!exists(binary.c_str())) {
    reason = "no such file: " + binary;
    return false;
  }
  bool by_address = !probe.func || !*probe.func;
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = probe.kind == BTC_PROBE_URETPROBE,
              .func_name = by_address ? nullptr : probe.func);
  // uprobe:BIN:0xADDR names a virtual address (as nm shows it); the kernel wants a file offset.
  uint64_t offset = probe.offset;
  ElfFunctions elf;
  if (by_address && elf.load(binary) && !elf.offset_of_vaddr(probe.offset, offset)) {
    char hex[32];
    snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(probe.offset));
    reason = std::string("could not resolve address: ") + binary + ":" + hex;
    return false;
  }
  // uprobe:BIN:func+OFF must stay inside the function (bpftrace's check and message).
  if (!by_address && probe.offset > 0 && elf.load(binary)) {
    uint64_t size = elf.function_size(probe.func);
    if (size > 0 && probe.offset >= size) {
      reason =
          std::string("Offset outside the function bounds ('") + probe.func + "' size is " + std::to_string(size) + ")";
      return false;
    }
  }
  bpf_link *link = bpf_program__attach_uprobe_opts(prog, g_target_pid, binary.c_str(), offset, &opts);
  if (!link) {
    reason = reason_for(probe, errno);
    return false;
  }
  links.add(link);
  return true;
}

bool attach_probe(const btc_probe_desc &probe, bpf_program *prog, Links &links, std::string &reason) {
  const char *func = probe.func ? probe.func : "";
  bpf_link *link = nullptr;
  switch (probe.kind) {
    case BTC_PROBE_TRACEPOINT:
      link = bpf_program__attach_tracepoint(prog, probe.target ? probe.target : "", func);
      break;
    case BTC_PROBE_RAWTP:
      if (bpf_program__type(prog) == BPF_PROG_TYPE_TRACING)  // tp_btf: the target is in the program
        link = bpf_program__attach_trace(prog);
      else
        link = bpf_program__attach_raw_tracepoint(prog, func);
      break;
    case BTC_PROBE_KPROBE:
    case BTC_PROBE_KRETPROBE: {
      if (bpf_program__type(prog) == BPF_PROG_TYPE_TRACING) {  // the fentry/fexit twin was loaded instead
        link = bpf_program__attach_trace(prog);
        break;
      }
      LIBBPF_OPTS(bpf_kprobe_opts, opts, .offset = probe.offset, .retprobe = probe.kind == BTC_PROBE_KRETPROBE);
      link = bpf_program__attach_kprobe_opts(prog, func, &opts);
      break;
    }
    case BTC_PROBE_UPROBE:
    case BTC_PROBE_URETPROBE:
      return attach_uprobe(probe, prog, links, reason);
    case BTC_PROBE_INTERVAL:
      return attach_perf(probe, prog, PERF_COUNT_SW_CPU_CLOCK, probe.period, {online_cpus().front()}, links, reason);
    case BTC_PROBE_PROFILE:
      return attach_perf(probe, prog, PERF_COUNT_SW_CPU_CLOCK, probe.period, online_cpus(), links, reason);
    case BTC_PROBE_SOFTWARE: {
      auto event = find_software_event(func);
      if (!event) {
        reason = std::string("unknown software event '") + func + "'";
        return false;
      }
      uint64_t period = probe.period ? probe.period : event->default_period;
      return attach_perf(probe, prog, event->config, period, online_cpus(), links, reason);
    }
    case BTC_PROBE_HARDWARE: {
      auto event = find_hardware_event(func);
      if (!event) {
        reason = std::string("unknown hardware event '") + func + "'";
        return false;
      }
      uint64_t period = probe.period ? probe.period : event->default_period;
      return attach_perf(probe, prog, event->config, period, online_cpus(), links, reason, PERF_TYPE_HARDWARE);
    }
    case BTC_PROBE_USDT: {
      std::string binary = resolve_target_binary(probe.target ? probe.target : "");
      std::string spec = func;
      size_t colon = spec.find(':');
      if (probe.target && std::string(probe.target) == "*" && colon != std::string::npos) {
        std::string provider = spec.substr(0, colon), name = spec.substr(colon + 1);
        auto attach_one = [&](const std::string &file) {
          return bpf_program__attach_usdt(prog, g_target_pid, file.c_str(), provider.c_str(), name.c_str(), nullptr);
        };
        return attach_in_process_files(attach_one, links, reason);
      }
      if (binary.empty() || colon == std::string::npos) {
        reason = "binary '" + std::string(probe.target ? probe.target : "") + "' not found";
        return false;
      }
      link = bpf_program__attach_usdt(prog, g_target_pid, binary.c_str(), spec.substr(0, colon).c_str(),
                                      spec.substr(colon + 1).c_str(), nullptr);
      break;
    }
    case BTC_PROBE_ITER: {
      // Attach, then run the iterator over every object at once: reading the iterator fd to its
      // end runs the program per object; its events wait in the ring buffer for the event loop.
      link = bpf_program__attach_iter(prog, nullptr);
      if (!link) break;
      if (probe.target && *probe.target) {  // pinned: readers of the file run it, not the tool
        if (int err = bpf_link__pin(link, probe.target)) {
          bpf_link__destroy(link);
          reason = std::string("cannot pin the iterator at ") + probe.target + ": " + strerror(-err);
          return false;
        }
        write_output(std::string("Program pinned to ") + probe.target + "\n");
        break;
      }
      int fd = bpf_iter_create(bpf_link__fd(link));
      if (fd < 0) {
        int err = errno;
        bpf_link__destroy(link);
        reason = std::string("cannot start the iterator: ") + strerror(err);
        return false;
      }
      char buf[4096];
      while (read(fd, buf, sizeof(buf)) > 0) {
      }
      close(fd);
      break;
    }
    case BTC_PROBE_WATCHPOINT:
      return attach_watchpoint(probe, prog, links, reason);
    case BTC_PROBE_FENTRY:
    case BTC_PROBE_FEXIT:
      if (bpf_program__type(prog) == BPF_PROG_TYPE_KPROBE) {  // the kprobe twin was loaded instead
        LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = probe.kind == BTC_PROBE_FEXIT);
        link = bpf_program__attach_kprobe_opts(prog, func, &opts);
      } else {
        link = bpf_program__attach_trace(prog);
      }
      break;
    default:
      reason = "unsupported probe kind " + std::to_string(probe.kind);
      return false;
  }
  if (!link) {
    reason = reason_for(probe, errno);
    return false;
  }
  links.add(link);
  return true;
}

// Kinds whose programs the kernel runs in reverse attach order.
static bool attached_in_reverse(uint32_t kind) {
  return kind == BTC_PROBE_KPROBE || kind == BTC_PROBE_UPROBE || kind == BTC_PROBE_URETPROBE ||
         kind == BTC_PROBE_USDT;  // USDT probes are uprobes
}

// Attaches one probe. A probe that cannot attach is an error, or, with config missing_probes,
// a warning or nothing; *attached counts the probes that did attach.
static bool attach_one(const btc_tool &tool, const btc_probe_desc &probe, const LoadedObject &object, Links &links,
                       uint32_t *attached) {
  const char *spec = probe.spec ? probe.spec : probe.prog_name;
  bpf_program *prog = object.program_for(probe);
  std::string reason;
  const btc_uprobe_multi *multi = tool.uprobe_multi_functions ? uprobe_multi_of(tool, &probe - tool.probes) : nullptr;
  if (!prog) {
    reason = std::string("the BPF object has no program '") + (probe.prog_name ? probe.prog_name : "") + "'";
  } else if (multi) {  // a uprobe glob's program: counts as one probe per function, like bpftrace
    uint32_t n = tool.uprobe_multi_functions->attach(*multi, probe, prog, g_target_pid, links, reason);
    *attached += n;
    if (n > 0) return true;
  } else if (tool.usdt_process_functions && is_usdt_process_glob(probe)) {  // one probe per match, too
    uint32_t n = tool.usdt_process_functions->attach(tool, probe, prog, g_target_pid, links, reason);
    *attached += n;
    if (n > 0) return true;
  } else if (attach_probe(probe, prog, links, reason)) {
    *attached += probe.matches ? probe.matches : 1;
    return true;
  }
  if (tool.missing_probes == BTC_MISSING_IGNORE) return true;
  if (tool.missing_probes == BTC_MISSING_WARN) {
    fprintf(stderr, "%s: warning: skipping %s: %s\n", tool.name, spec, reason.c_str());
    return true;
  }
  print_error(std::string("cannot attach ") + spec + ": " + reason);
  dump_libbpf_output_if_verbose();
  return false;
}

bool attach_all(const btc_tool &tool, const LoadedObject &object, Links &links, uint32_t *attached) {
  auto special = [](const btc_probe_desc &p) {
    return p.kind == BTC_PROBE_BEGIN || p.kind == BTC_PROBE_END || p.kind == BTC_PROBE_SIGNAL;
  };
  // test: and bench: probes run only with --test / --bench, and are not counted otherwise.
  auto on_demand = [](const btc_probe_desc &p) { return p.kind == BTC_PROBE_TEST || p.kind == BTC_PROBE_BENCH; };
  *attached = 0;
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &p = tool.probes[i];
    if (special(p)) ++*attached;  // run, not attached, but counted like bpftrace
    if (special(p) || on_demand(p) || attached_in_reverse(p.kind)) continue;
    if (!attach_one(tool, p, object, links, attached)) return false;
  }
  for (uint32_t i = tool.nprobes; i-- > 0;) {
    const btc_probe_desc &p = tool.probes[i];
    if (special(p) || !attached_in_reverse(p.kind)) continue;
    if (!attach_one(tool, p, object, links, attached)) return false;
  }
  if (*attached == 0 && tool.test_bench) {
    tool.test_bench->report_unattached(&tool);
    return false;
  }
  if (*attached == 0) {
    print_error("no probe could be attached");
    return false;
  }
  return true;
}

}  // namespace btc::rt
