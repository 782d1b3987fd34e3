// Checks done before touching BPF: privileges and kernel BTF.
#ifndef BTC_RT_PRIVILEGE_H
#define BTC_RT_PRIVILEGE_H

#include <string>

namespace btc::rt {

// The sentence used whenever BPF refuses us for lack of privilege.
extern const char kPermissionMessage[];

// Empty when the process may load and attach BPF programs (CAP_SYS_ADMIN, or
// CAP_BPF and CAP_PERFMON), otherwise the message to print.
std::string check_privileges();

// Empty when /sys/kernel/btf/vmlinux exists, otherwise the message to print.
std::string check_kernel_btf();

}  // namespace btc::rt

#endif
