// The syscall table of templates/btc_syscall_names.h, read the other way round.
#include "check/syscall_numbers.h"

#include <cstdint>
#include <map>

namespace btc {
namespace {

using __u16 = uint16_t;  // the table's type, as BPF C spells it
#include "../../templates/btc_syscall_names.h"

// Tracepoints named after the kernel function rather than the table's name for the call.
const std::map<std::string, std::string> kTracepointAliases = {
    {"newstat", "stat"},   {"newfstat", "fstat"},      {"newlstat", "lstat"},
    {"newuname", "uname"}, {"sendfile64", "sendfile"}, {"umount", "umount2"},
};

std::map<std::string, unsigned> numbers_by_name() {
  std::map<std::string, unsigned> out;
  for (unsigned nr = 0; nr < BTC_SYSCALL_COUNT; nr++)
    if (btc_syscall_at[nr] != 0) out.emplace(btc_syscall_pool + btc_syscall_at[nr], nr);
  return out;
}

}  // namespace

std::optional<unsigned> syscall_number(const std::string &name) {
  static const std::map<std::string, unsigned> numbers = numbers_by_name();
  auto alias = kTracepointAliases.find(name);
  auto it = numbers.find(alias == kTracepointAliases.end() ? name : alias->second);
  if (it == numbers.end() || it->second >= 512) return std::nullopt;  // 512..: x32 calls, no tracepoints
  return it->second;
}

}  // namespace btc
