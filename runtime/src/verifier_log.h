// Making sense of what libbpf reports when a BPF object fails to load.
#ifndef BTC_RT_VERIFIER_LOG_H
#define BTC_RT_VERIFIER_LOG_H

#include <string>
#include <string_view>

namespace btc::rt {

// What libbpf said about the program that failed to load.
struct LoadFailure {
  std::string program;       // BPF program (function) name; empty if unknown
  std::string error;         // libbpf's error text, e.g. "Permission denied"
  std::string verifier_log;  // the kernel verifier's log, if libbpf printed it
};

// Scans captured libbpf output ("libbpf: prog 'x': BPF program load failed:
// ...", "-- BEGIN PROG LOAD LOG --" ... "-- END PROG LOAD LOG --").
LoadFailure find_load_failure(std::string_view libbpf_output);

// The gist of a verifier log: the last source location the verifier printed
// ("; <source> @ script.bt:12" gives "script.bt:12", directories stripped)
// and its last error line (the last line that is not a statistics line).
struct VerifierSummary {
  std::string location;
  std::string error;
};
VerifierSummary summarize_verifier_log(std::string_view log);

// The last message libbpf printed, without its "libbpf: " prefix (used when
// nothing more specific is known).
std::string last_libbpf_message(std::string_view libbpf_output);

// A kernel variable the object declares as a typed ksym (percpu_kaddr()) that could not be
// resolved, as one line, or "" when neither libbpf nor the verifier reported such a failure:
// libbpf finds no variable of that name or type in the kernel's BTF, or the verifier finds no
// address for it (kallsyms lists data symbols only with CONFIG_KALLSYMS_ALL).
std::string unresolved_kernel_variable(std::string_view libbpf_output);

}  // namespace btc::rt

#endif
