#include "privilege.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace btc::rt {

const char kPermissionMessage[] = "permission denied: loading BPF programs needs root (or CAP_BPF and CAP_PERFMON)";

static const char kKernelBtfPath[] = "/sys/kernel/btf/vmlinux";

// Capability numbers, for headers older than the capabilities themselves.
static const int kCapSysAdmin = 21;
static const int kCapPerfmon = 38;
static const int kCapBpf = 39;

std::string check_privileges() {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return "";  // cannot tell; let the kernel decide

  auto has = [&](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1; };
  if (has(kCapSysAdmin) || (has(kCapBpf) && has(kCapPerfmon))) return "";
  if (geteuid() != 0) return kPermissionMessage;

  // Root without the capabilities (e.g. a restricted container): name them.
  std::string missing;
  if (!has(kCapBpf)) missing = "CAP_BPF";
  if (!has(kCapPerfmon)) missing += missing.empty() ? "CAP_PERFMON" : " and CAP_PERFMON";
  return "permission denied: loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process "
         "lacks " +
         missing;
}

std::string check_kernel_btf() {
  if (access(kKernelBtfPath, R_OK) == 0) return "";
  return std::string("kernel BTF not available: ") + kKernelBtfPath +
         " is missing (this tool needs a kernel built with CONFIG_DEBUG_INFO_BTF=y)";
}

}  // namespace btc::rt
