#include "check/attach_points.h"

#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <functional>

#include "btc/abi.h"
#include "btf/tracepoints.h"
#include "elf/dwarf_lines.h"
#include "elf/elf_symbols.h"
#include "lex/int_literal.h"

namespace btc {
namespace {

// A kernel module of the build host (rawtracepoint:MODULE:event), loaded or built in.
bool module_loaded(const std::string &name) {
  struct stat st;
  return name.find('/') == std::string::npos && stat(("/sys/module/" + name).c_str(), &st) == 0;
}

struct Provider {
  const char *name;
  const char *alias;
  ProbeKind kind;
};

const Provider kProviders[] = {
    {"BEGIN", "begin", ProbeKind::Begin},
    {"END", "end", ProbeKind::End},
    {"tracepoint", "t", ProbeKind::Tracepoint},
    {"uprobe", "u", ProbeKind::Uprobe},
    {"uretprobe", "ur", ProbeKind::Uretprobe},
    {"interval", "i", ProbeKind::Interval},
    {"profile", "p", ProbeKind::Profile},
    {"kprobe", "k", ProbeKind::Kprobe},
    {"kretprobe", "kr", ProbeKind::Kretprobe},
    {"rawtracepoint", "rt", ProbeKind::Rawtp},
    {"software", "s", ProbeKind::Software},
    {"fentry", "f", ProbeKind::Fentry},
    {"kfunc", "kfunc", ProbeKind::Fentry},
    {"fexit", "fr", ProbeKind::Fexit},
    {"kretfunc", "kretfunc", ProbeKind::Fexit},
    {"hardware", "h", ProbeKind::Hardware},
    {"usdt", "U", ProbeKind::Usdt},
    {"self", "self", ProbeKind::Signal},
    {"iter", "it", ProbeKind::Iter},
    {"watchpoint", "w", ProbeKind::Watchpoint},
    {"test", "test", ProbeKind::Test},
    {"bench", "bench", ProbeKind::Bench},
};

const char *const kHardwareEvents[] = {"cpu-cycles", "cycles", "instructions", "cache-references",
                                       "cache-misses", "branch-instructions", "branches", "branch-misses",
                                       "bus-cycles", "frontend-stalls", "backend-stalls", "ref-cycles"};

// Kernel functions matching `pattern` (a glob or a plain name).
std::vector<std::string> match_functions(const KernelBtf &btf, const std::string &pattern) {
  std::vector<std::string> out;
  if (pattern.find_first_of("*?[") == std::string::npos) {
    if (btf.has_function(pattern)) out.push_back(pattern);
    return out;
  }
  for (const auto &fn : btf.function_names())
    if (fnmatch(pattern.c_str(), fn.c_str(), 0) == 0) out.push_back(fn);
  return out;
}

const Provider *find_provider(const std::string &name) {
  for (const auto &p : kProviders)
    if (name == p.name || name == p.alias) return &p;
  return nullptr;
}

bool has_wildcard(const std::string &s) { return s.find_first_of("*?[") != std::string::npos; }

// A binary named with a glob (usdt:./bin/app*:...): the files it matches, sorted; a plain name as is.
std::vector<std::string> glob_files(const std::string &pattern) {
  if (!has_wildcard(pattern)) return {pattern};
  std::vector<std::string> files;
  glob_t g{};
  if (glob(pattern.c_str(), 0, nullptr, &g) == 0)
    for (size_t i = 0; i < g.gl_pathc; i++) files.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  return files;
}

// One BPF program per expanded attach point: past this, loading would take minutes (bpftrace's
// own limit is of the same order).
constexpr size_t kMaxExpandedProbes = 1024;

// "1", "100" -> value; "1s", "5ms" -> value with unit. Returns false when malformed.
bool parse_rate(const std::string &unit_in, const std::string &value_in, uint64_t *period_ns) {
  std::string unit = unit_in, value = value_in;
  if (unit.empty()) {  // interval:1s form
    size_t i = 0;
    while (i < value.size() && isdigit(static_cast<unsigned char>(value[i]))) i++;
    unit = value.substr(i);
    value = value.substr(0, i);
  }
  if (value.empty()) return false;
  for (char c : value)
    if (!isdigit(static_cast<unsigned char>(c))) return false;
  uint64_t n = std::strtoull(value.c_str(), nullptr, 10);
  if (n == 0) return false;
  if (unit == "s") *period_ns = n * 1000000000ULL;
  else if (unit == "ms") *period_ns = n * 1000000ULL;
  else if (unit == "us") *period_ns = n * 1000ULL;
  else if (unit == "ns") *period_ns = n;
  else if (unit == "hz") *period_ns = 1000000000ULL / n;
  else return false;
  return *period_ns > 0;
}

const char *const kSoftwareEvents[] = {"cpu-clock", "cpu", "task-clock", "page-faults", "faults",
                                       "context-switches", "cs", "cpu-migrations", "minor-faults",
                                       "major-faults", "alignment-faults", "emulation-faults", "dummy",
                                       "bpf-output"};

// software:EVENT[:COUNT] and hardware:EVENT[:COUNT]: a known event name and a positive count
// (default_period when omitted; 0 lets the runtime pick the event's own default).
template <size_t N>
bool perf_event_probe(const std::string &provider, const char *const (&events)[N], uint64_t default_period,
                      const ast::AttachPoint &ap, ProbeTarget *t, Diagnostics &diags) {
  const auto &parts = ap.parts;
  bool known = false;
  if (!parts.empty())
    for (const char *e : events) known |= parts[0] == e;
  if (!known || parts.size() > 2) {
    diags.error(DiagKind::Probe, ap.range,
                "unknown " + provider + " event" + (parts.empty() ? std::string() : " '" + parts[0] + "'"));
    return false;
  }
  t->func = parts[0];
  t->period = default_period;
  if (parts.size() == 2) {
    IntLiteral count = isdigit(static_cast<unsigned char>(parts[1][0])) ? parse_int_literal(parts[1]) : IntLiteral{};
    t->period = count.value;
    if (!count.ok || t->period == 0) {
      diags.error(DiagKind::Probe, ap.range, provider + " event count must be a positive number");
      return false;
    }
  }
  t->spec = provider + ":" + parts[0] + (parts.size() == 2 ? ":" + parts[1] : "");
  return true;
}

// The kernel functions that carry a raw tracepoint's arguments (void *__data, args...) with their
// names, as bpftrace looks for them: __probestub_<event> (6.5+), __traceiter_<event> (5.10+), and
// __bpf_trace_<event>, which events of a DEFINE_EVENT class lack (theirs is named after the class).
constexpr const char *kRawtpFunctionPrefixes[] = {"__probestub_", "__traceiter_", "__bpf_trace_"};

// The name of the function typing raw tracepoint `event`'s args; "" when the BTF has none.
static std::string rawtp_function(const KernelBtf &btf, const std::string &event) {
  for (const char *prefix : kRawtpFunctionPrefixes)
    if (btf.function_proto(prefix + event)) return prefix + event;
  return "";
}

// rawtracepoint[:MODULE]:EVENT, globs allowed in both. Events are those with a btf_trace_<event>
// typedef in the kernel's BTF; one of the functions above types `args`. Like
// bpftrace, an event alone or a glob that matches nothing leaves the attach point out (the probe
// is then reported as having none); a plain MODULE:EVENT that does not exist is "missing".
void rawtp_probes(const ast::AttachPoint &ap, const ProbeTarget &t, const KernelBtf *btf, Diagnostics &diags,
                  const std::function<void(const std::string &, const std::string &)> &missing,
                  std::vector<ProbeTarget> *out) {
  const auto &parts = ap.parts;
  std::string module = parts.size() == 2 ? parts[0] : "";
  const std::string &event = parts.back();
  bool vmlinux = module.empty() || fnmatch(module.c_str(), "vmlinux", 0) == 0;
  if (!vmlinux && !has_wildcard(module) && module_loaded(module)) vmlinux = true;  // a built-in module's events
  std::vector<std::string> events;
  if (vmlinux && btf && has_wildcard(event)) {
    for (const auto &ev : raw_tracepoint_events(*btf))
      if (fnmatch(event.c_str(), ev.c_str(), 0) == 0) events.push_back(ev);
  } else if (vmlinux && (!btf || has_raw_tracepoint(*btf, event))) {
    events.push_back(event);
  }
  if (events.empty()) {
    if (!module.empty() && !has_wildcard(module) && !has_wildcard(event)) missing("rawtracepoint", module + ":" + event);
    return;
  }
  if (events.size() > kMaxExpandedProbes) {
    diags.error(DiagKind::Probe, ap.range,
                "'" + event + "' matches " + std::to_string(events.size()) + " raw tracepoints; at most " +
                    std::to_string(kMaxExpandedProbes) + " probes can be expanded from one attach point");
    return;
  }
  for (const auto &ev : events) {
    ProbeTarget one = t;
    one.func = ev;
    one.spec = "rawtracepoint:" + ev;
    if (btf) {
      one.proto = btf->function_proto(rawtp_function(*btf, ev));
      if (one.proto && !one.proto->params.empty()) one.proto->params.erase(one.proto->params.begin());  // __data
    }
    out->push_back(std::move(one));
  }
}

// watchpoint:ADDRESS:LENGTH:MODE, with bpftrace's rules and messages (x86-64 modes: w, rw, x).
bool watchpoint_probe(const ast::AttachPoint &ap, ProbeTarget *t, Diagnostics &diags) {
  const auto &parts = ap.parts;
  auto bad = [&](const std::string &why) {
    diags.error(DiagKind::Probe, ap.range, why);
    return false;
  };
  if (parts.size() != 3) return bad("watchpoint must be written watchpoint:ADDRESS:LENGTH:MODE");
  auto number = [](const std::string &text, uint64_t *out) {
    char *end = nullptr;
    errno = 0;
    *out = std::strtoull(text.c_str(), &end, 0);
    return !text.empty() && text[0] != '-' && end && *end == 0 && errno == 0;
  };
  uint64_t address = 0, length = 0;
  if (!number(parts[0], &address)) return bad("invalid watchpoint address '" + parts[0] + "'");
  if (address == 0) return bad("watchpoint must be attached to a non-zero address");
  if (!number(parts[1], &length) || (length != 1 && length != 2 && length != 4 && length != 8))
    return bad("watchpoint length must be one of (1,2,4,8)");
  std::string mode = parts[2];
  std::sort(mode.begin(), mode.end());
  if (mode.empty() || mode.find_first_not_of("rwx") != std::string::npos)
    return bad("watchpoint mode must be combination of (r,w,x)");
  if (std::adjacent_find(mode.begin(), mode.end()) != mode.end()) return bad("watchpoint modes may not be duplicated");
  if (mode != "rw" && mode != "w" && mode != "x")
    return bad("invalid watchpoint mode: " + mode + " (supported modes: rw, w, x)");
  t->offset = address;
  t->period = length;
  t->func = mode;
  t->spec = "watchpoint:" + std::to_string(address) + ":" + std::to_string(length) + ":" + mode;
  return true;
}

int count_errors(const Diagnostics &diags) {
  return static_cast<int>(std::count_if(diags.all().begin(), diags.all().end(),
                                        [](const Diagnostic &d) { return d.severity == Severity::Error; }));
}

// bpftrace's missing_probes for a probe none of whose attach points matched anything.
void report_empty_probe(const ast::Probe &probe, uint32_t missing_probes, Diagnostics &diags) {
  SourceRange where = probe.attach_points.empty() ? probe.range : probe.attach_points.front().range;
  if (missing_probes == BTC_MISSING_ERROR)
    diags.error(DiagKind::Probe, where,
                "Probe has no valid attach points. If this is expected, set the 'missing_probes' config variable "
                "to 'warn'.");
  else if (missing_probes == BTC_MISSING_WARN)
    diags.warning(DiagKind::Probe, where,
                  "Probe has no valid attach points. It is being removed which may cause issues with program "
                  "behavior.");
}

// A uprobe on a function symbol: its size must be known unless --unsafe (bpftrace refuses
// otherwise, it cannot check an offset against the function's end). "" when fine.
std::string uprobe_symbol_problem(const std::string &path, const std::string &fn, bool has_offset, bool unsafe) {
  std::string err;
  auto sym = path.empty() ? std::nullopt : elf_symbol(path, fn, &err);
  if (!sym || unsafe || has_offset || sym->size != 0) return "";
  return "Could not determine boundary for " + fn +
         " (symbol has size 0).\nUse --unsafe to force attachment. WARNING: This option could lead to data "
         "corruption in the target process.";
}

// A line or column number of uprobe:BIN@FILE:LINE:COL; nullopt with *err (bpftrace's words) if malformed.
// Decimal, 0x hex or 0 octal, '_' allowed between digits.
std::optional<uint64_t> source_number(const std::string &text, std::string *err) {
  std::string digits;
  for (char c : text)
    if (c != '_') digits += c;
  char *end = nullptr;
  errno = 0;
  uint64_t v = std::strtoull(digits.c_str(), &end, 0);
  if (end == digits.c_str() || digits[0] == '-' || digits[0] == '+' || isspace(static_cast<unsigned char>(digits[0])))
    *err = "invalid integer: " + text;
  else if (errno == ERANGE)
    *err = "overflow error, maximum value is " + std::to_string(UINT64_MAX) + ": " + text;
  else if (*end)
    *err = "invalid trailing bytes: " + text;
  else
    return v;
  return std::nullopt;
}

// uprobe:BIN@FILE:LINE[:COL] (parts: BIN @ FILE LINE [COL]): the address the line's code starts
// at, found in BIN's DWARF line table as bpftrace finds it, becomes an address probe named as
// bpftrace names it ("uprobe:BIN:ADDRESS", decimal). "" when fine, else the error.
std::string source_line_probe(const std::vector<std::string> &parts, ProbeTarget *t) {
  if (t->kind != ProbeKind::Uprobe) return "Source code location not allowed";
  if (has_wildcard(parts[0])) return "Cannot use wildcards with source code location";
  if ((parts.size() != 4 && parts.size() != 5) || parts[2].empty() || parts[3].empty())
    return "Invalid uprobe arguments, expected format: uprobe:TARGET@FILE:LINE[:COL]";
  std::string err;
  auto line = source_number(parts[3], &err);
  if (!line) return "Invalid line number: " + err;
  std::optional<uint64_t> column = 0;
  if (parts.size() == 5 && !(column = source_number(parts[4], &err))) return "Invalid column number: " + err;
  t->target = parts[0];
  std::string path = resolve_binary_path(t->target);
  if (path.empty() || !has_dwarf(path, &err))
    return "No DWARF debug info found for '" + (path.empty() ? t->target : path) +
           "', cannot attach by source code location.";
  auto address = source_line_address(path, parts[2], *line, *column, &err);
  if (!address) return err;
  t->offset = *address;
  if (auto sym = elf_symbol_at(path, *address, &err)) t->symbol = sym->name;
  t->spec = "uprobe:" + t->target + ":" + std::to_string(*address);
  return "";
}

// "$3" -> 3: a positional parameter written as one piece of an attach point; 0 otherwise.
uint32_t positional_piece(const std::string &piece) {
  if (piece.size() < 2 || piece[0] != '$' || piece.size() > 4) return 0;
  for (size_t i = 1; i < piece.size(); i++)
    if (!isdigit(static_cast<unsigned char>(piece[i]))) return 0;
  return static_cast<uint32_t>(std::strtoul(piece.c_str() + 1, nullptr, 10));
}

// Whether text has a positional parameter ($ and a digit, outside "quotes"), as bpftrace expands them.
bool has_positional(const std::string &text) {
  bool quoted = false;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] == '"') quoted = !quoted;
    if (!quoted && text[i] == '$' && i + 1 < text.size() && isdigit(static_cast<unsigned char>(text[i + 1])))
      return true;
  }
  return false;
}

// interval:UNIT:$N and profile:UNIT:$N: the rate is the tool's positional parameter $N, which the
// runtime reads as it attaches; t->period becomes the unit in ns (0 for hz, abi.h).
bool positional_rate(const std::vector<std::string> &parts, ProbeTarget *t) {
  if (parts.size() != 2) return false;
  uint32_t n = positional_piece(parts[1]);
  if (n == 0) return false;
  const std::pair<const char *, uint64_t> units[] = {
      {"s", 1000000000ULL}, {"ms", 1000000ULL}, {"us", 1000ULL}, {"ns", 1}, {"hz", 0}};
  for (const auto &[unit, ns] : units) {
    if (parts[0] != unit) continue;
    t->period = ns;
    t->period_param = n;
    return true;
  }
  return false;
}

}  // namespace

void resolve_attach_points(const ast::Probe &probe, const AttachContext &ctx, Diagnostics &diags,
                           std::vector<ProbeTarget> *out) {
  const KernelBtf *btf = ctx.btf;
  size_t targets_before = out->size();
  int errors_before = count_errors(diags);
  for (const auto &ap : probe.attach_points) {
    const Provider *prov = find_provider(ap.provider);
    if (has_positional(ap.provider)) {
      diags.error(DiagKind::Probe, ap.range,
                  "the probe type in '" + ap.raw + "' comes from a positional parameter: btc compiles the " +
                      "probes ahead of time, before the tool's command line gives it; write the probe type out");
      continue;
    }
    if (!prov) {
      std::vector<std::string> names;
      for (const auto &p : kProviders) names.push_back(p.name);
      std::string hint = closest_match(ap.provider, names);
      diags.error(DiagKind::Probe, ap.range,
                  "unknown probe type '" + ap.provider + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
      continue;
    }
    ProbeTarget t;
    t.kind = prov->kind;
    t.probe = &probe;
    t.attach = &ap;
    t.offset = ap.offset;
    const auto &parts = ap.parts;
    auto bad = [&](const std::string &why) { diags.error(DiagKind::Probe, ap.range, why); };
    // An attach point that names something this machine lacks: bpftrace's "No matches for TYPE WHAT."
    // as an error (with `hint`), a warning, or nothing.
    auto missing = [&](const std::string &type, const std::string &what, const std::string &hint = "") {
      std::string msg = "No matches for " + type + " " + what + ".";
      if (ctx.missing_probes == BTC_MISSING_ERROR) bad(msg + (hint.empty() ? "" : " Did you mean " + hint + "?"));
      else if (ctx.missing_probes == BTC_MISSING_WARN) diags.warning(DiagKind::Probe, ap.range, msg + " Skipping.");
    };
    bool interval = prov->kind == ProbeKind::Interval || prov->kind == ProbeKind::Profile;
    if (interval && positional_rate(parts, &t)) {
      t.spec = std::string(prov->name) + ":" + parts[0] + ":" + parts[1];
      out->push_back(std::move(t));
      continue;
    }
    if (has_positional(ap.raw)) {
      bad("'" + ap.raw + "' uses a positional parameter where btc must know the value when it compiles (only " +
          "the rate of interval:UNIT:$N and profile:UNIT:$N is read when the tool starts)");
      continue;
    }

    switch (prov->kind) {
      case ProbeKind::Begin:
      case ProbeKind::End:
        if (!parts.empty()) {
          bad(std::string(prov->name) + " takes no arguments");
          continue;
        }
        t.spec = prov->alias;  // bpftrace 0.26 calls them "begin" and "end" (the `probe` builtin)
        out->push_back(std::move(t));
        break;

      case ProbeKind::Tracepoint: {
        if (parts.size() != 2) {
          bad("tracepoint must be written tracepoint:category:event");
          continue;
        }
        std::vector<std::pair<std::string, std::string>> matches;
        if (has_wildcard(parts[0]) || has_wildcard(parts[1])) {
          std::vector<std::string> all = btf ? list_tracepoints(*btf) : std::vector<std::string>{};
          for (const auto &name : all) {
            size_t colon = name.find(':');
            if (colon == std::string::npos) continue;
            std::string cat = name.substr(0, colon), ev = name.substr(colon + 1);
            if (fnmatch(parts[0].c_str(), cat.c_str(), 0) == 0 && fnmatch(parts[1].c_str(), ev.c_str(), 0) == 0)
              matches.emplace_back(cat, ev);
          }
          if (matches.empty()) continue;  // reported for the whole probe when nothing else matches
        } else {
          matches.emplace_back(parts[0], parts[1]);
        }
        for (const auto &[cat, ev] : matches) {
          ProbeTarget tp = t;
          tp.target = cat;
          tp.func = ev;
          tp.spec = "tracepoint:" + cat + ":" + ev;
          if (!btf) {
            bad("tracepoint " + cat + ":" + ev + " needs kernel BTF (see --btf)");
            break;
          }
          std::string err;
          auto fmt = find_tracepoint(*btf, cat, ev, &err);
          if (!fmt && err.rfind("No matches for", 0) == 0 && ctx.missing_probes != BTC_MISSING_ERROR) {
            missing("tracepoint", cat + ":" + ev);
            continue;
          }
          if (!fmt) {
            std::string hint;
            if (matches.size() == 1) {
              std::vector<std::string> names = list_tracepoints(*btf);
              hint = closest_match(cat + ":" + ev, names);
            }
            bad(err + (hint.empty() ? "" : " Did you mean " + hint + "?"));
            break;
          }
          tp.tracepoint = std::move(*fmt);
          out->push_back(std::move(tp));
        }
        break;
      }

      case ProbeKind::Uprobe:
      case ProbeKind::Uretprobe: {
        if (parts.size() >= 2 && parts[1] == "@") {  // uprobe:BIN@FILE:LINE[:COL]
          std::string problem = source_line_probe(parts, &t);
          if (!problem.empty()) {
            bad(problem);
            continue;
          }
          out->push_back(std::move(t));
          break;
        }
        // uprobe:BIN:func, BIN:func+off, BIN:0xADDR, BIN:glob*. BIN may be a library name (libc).
        if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
          bad(std::string(prov->name) + " must be written " + prov->name + ":binary:function");
          continue;
        }
        t.target = parts[0];
        std::string fn = ap.func.empty() ? parts[1] : ap.func;
        bool decimal = std::all_of(fn.begin(), fn.end(), [](char c) { return isdigit(static_cast<unsigned char>(c)); });
        if (decimal || (fn.size() > 2 && fn.compare(0, 2, "0x") == 0)) {  // an address in the binary
          char *end = nullptr;
          t.offset = std::strtoull(fn.c_str(), &end, decimal ? 10 : 16);
          if (!end || *end) {
            bad("bad address '" + fn + "'");
            continue;
          }
          std::string path = resolve_binary_path(t.target), err;
          char hex[32];
          snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(t.offset));
          auto sym = path.empty() ? std::nullopt : elf_symbol_at(path, t.offset, &err);
          if (!ctx.unsafe && !path.empty() && !sym) {
            bad("Could not resolve address: " + t.target + ":" + hex);
            continue;
          }
          if (sym) t.symbol = sym->name;
          t.spec = std::string(prov->name) + ":" + t.target + ":" + std::to_string(t.offset);  // decimal, as bpftrace names it
          out->push_back(std::move(t));
          break;
        }
        // uprobe:*:glob: the -p process's files are only known at run time; one program for all.
        if (t.target == "*" && has_wildcard(fn)) {
          if (ap.has_offset) {
            bad("uprobe:*:" + fn + " cannot take an offset");
            continue;
          }
          t.glob = fn;
          t.func = fn;  // what the runtime matches against
          t.runtime_matches = true;
          t.spec = std::string(prov->name) + ":*:" + fn;
          out->push_back(std::move(t));
          break;
        }
        // The binary is looked at on the build host when it exists there; otherwise the target decides.
        std::string path = resolve_binary_path(t.target);
        std::vector<std::string> fns;
        std::optional<std::vector<std::string>> syms;
        std::string err;
        if (!path.empty()) syms = elf_function_symbols(path, &err);
        if (has_wildcard(fn)) {
          if (!syms) {
            bad("cannot expand '" + fn + "': " + (path.empty() ? "binary '" + t.target + "' not found" : err));
            continue;
          }
          for (const auto &sym : *syms)
            if (fnmatch(fn.c_str(), sym.c_str(), 0) == 0) fns.push_back(sym);
          if (fns.size() > kMaxExpandedProbes) {
            bad("'" + fn + "' matches " + std::to_string(fns.size()) + " functions; at most " +
                std::to_string(kMaxExpandedProbes) + " probes can be expanded from one attach point");
            continue;
          }
          if (fns.empty()) continue;  // reported for the whole probe when nothing else matches
        } else {
          if (syms && !syms->empty() && !std::binary_search(syms->begin(), syms->end(), fn)) {
            missing(prov->name, t.target + ":" + fn, closest_match(fn, *syms));
            continue;
          }
          std::string problem = uprobe_symbol_problem(path, fn, ap.has_offset, ctx.unsafe);
          if (!problem.empty()) {
            bad(problem);
            continue;
          }
          fns.push_back(fn);
        }
        for (const auto &f : fns) {
          ProbeTarget one = t;
          one.func = f;
          one.spec = std::string(prov->name) + ":" + t.target + ":" + f +
                     (ap.has_offset ? "+" + std::to_string(ap.offset) : "");
          if (has_wildcard(fn)) one.glob = fn;
          out->push_back(std::move(one));
        }
        break;
      }

      case ProbeKind::Interval:
      case ProbeKind::Profile: {
        std::string unit = parts.size() == 2 ? parts[0] : "";
        std::string value = parts.empty() ? "" : parts.back();
        if (parts.empty() || parts.size() > 2 || !parse_rate(unit, value, &t.period)) {
          bad(std::string(prov->name) + " must be written " + prov->name + ":s|ms|us|hz:N or " + prov->name +
              ":Ns");
          continue;
        }
        t.spec = std::string(prov->name) + ":" + (unit.empty() ? value : unit + ":" + value);
        out->push_back(std::move(t));
        break;
      }

      case ProbeKind::Kprobe:
      case ProbeKind::Kretprobe:
      case ProbeKind::Fentry:
      case ProbeKind::Fexit: {
        // kprobe:fn, kprobe:module:fn, kprobe:fn+off, fentry:fn, fentry:vmlinux:fn; globs expand here.
        std::string fn = ap.func.empty() && !parts.empty() ? parts.back() : ap.func;
        if (parts.empty() || parts.size() > 2 || fn.empty()) {
          bad(std::string(prov->name) + " must be written " + prov->name + ":function");
          continue;
        }
        bool fentry = prov->kind == ProbeKind::Fentry || prov->kind == ProbeKind::Fexit;
        if (ap.has_offset && (fentry || prov->kind == ProbeKind::Kretprobe || has_wildcard(fn))) {
          bad(std::string("an offset is only allowed on a single kprobe"));
          continue;
        }
        if (!btf) {
          bad(std::string(prov->name) + " needs kernel BTF (see --btf)");
          continue;
        }
        std::vector<std::string> fns = match_functions(*btf, fn);
        if (fns.size() > kMaxExpandedProbes) {
          bad("'" + fn + "' matches " + std::to_string(fns.size()) + " kernel functions; at most " +
              std::to_string(kMaxExpandedProbes) + " probes can be expanded from one attach point");
          continue;
        }
        if (fns.empty()) {
          if (!has_wildcard(fn))
            missing(prov->name, (parts.size() == 2 && !fentry ? parts[0] + ":" : "") + fn,
                    closest_match(fn, btf->function_names()));
          continue;  // a wildcard is reported for the whole probe when nothing else matches
        }
        for (const auto &f : fns) {
          ProbeTarget one = t;
          one.func = f;
          one.spec = std::string(prov->name) + ":" + f + (ap.has_offset ? "+" + std::to_string(ap.offset) : "");
          if (!fentry) {  // a kprobe gets an fentry twin when its arguments fit the trampoline's slots
            auto proto = btf->function_proto(f);
            bool slots = proto && proto->params.size() <= 12;
            if (slots)
              for (const auto &param : proto->params)
                slots &= (param.type.is_int() || param.type.kind == TypeKind::Pointer) && param.type.size <= 8;
            if (slots &&
                (proto->ret.is_int() || proto->ret.kind == TypeKind::Pointer || proto->ret.kind == TypeKind::Void))
              one.twin_nargs = static_cast<int>(proto->params.size());
          }
          if (fentry) {
            one.proto = btf->function_proto(f);
            if (!one.proto) {
              if (fns.size() == 1) bad("kernel function '" + f + "' has no usable BTF prototype for " + prov->name);
              continue;
            }
          }
          out->push_back(std::move(one));
        }
        break;
      }

      case ProbeKind::Usdt: {
        // usdt:BIN:provider:name or usdt:BIN:name; an empty provider and globs expand over the binary's
        // notes, a glob binary over the files it matches. Without a binary (usdt::provider:name,
        // usdt:*:..., globs or not): the matches are the notes of the files the -p process maps (-c:
        // the command's executable), found when the tool starts; one program for all, named by a
        // run-time table.
        auto match_at_run_time = [&](const std::string &provider, const std::string &name) {
          t.target = "*";
          t.func = provider + ":" + name;  // what the runtime matches against
          t.runtime_matches = true;
          t.spec = "usdt";
          for (const std::string &part : parts) t.spec += ":" + part;
          out->push_back(std::move(t));
        };
        if (parts.size() == 1) {  // usdt:name, as bpftrace takes it with -p
          match_at_run_time("*", parts[0]);
          break;
        }
        if (parts.size() < 2 || parts.size() > 3) {
          bad("usdt must be written usdt:binary:provider:name or usdt:binary:name");
          continue;
        }
        std::string provider = parts.size() == 3 && !parts[1].empty() ? parts[1] : "*";
        std::string name = parts.back();
        if (parts[0].empty() || parts[0] == "*") {  // fully named too: bpftrace looks in every file of -p
          match_at_run_time(provider, name);
          break;
        }
        std::vector<std::string> binaries = glob_files(parts[0]);
        if (binaries.empty()) {
          bad("no file matches '" + parts[0] + "'");
          continue;
        }
        size_t found = 0;
        bool failed = false;
        for (const std::string &binary : binaries) {
          std::string path = resolve_binary_path(binary), err;
          std::vector<UsdtNote> matches;
          if (!path.empty()) {
            auto notes = elf_usdt_notes(path, &err);
            if (!notes) {
              if (binaries.size() > 1) continue;  // a glob also matches files that are not ELF
              bad(err);
              failed = true;
              break;
            }
            for (const auto &n : *notes)
              if (fnmatch(provider.c_str(), n.provider.c_str(), 0) == 0 &&
                  fnmatch(name.c_str(), n.name.c_str(), 0) == 0 &&
                  std::none_of(matches.begin(), matches.end(),
                               [&](const UsdtNote &m) { return m.provider == n.provider && m.name == n.name; }))
                matches.push_back(n);
          } else if (parts.size() == 3 && !has_wildcard(provider) && !has_wildcard(name)) {
            matches.push_back({provider, name});  // resolved on the target
          } else {
            bad("binary '" + binary + "' not found: cannot resolve the USDT probe at build time");
            failed = true;
            break;
          }
          for (const auto &m : matches) {
            ProbeTarget one = t;
            one.target = binary;
            one.func = m.provider + ":" + m.name;
            one.spec = "usdt:" + binary + ":" + one.func;
            out->push_back(std::move(one));
          }
          found += matches.size();
        }
        if (!failed && found == 0)
          bad("no USDT probe " + (parts.size() == 3 ? provider + ":" : "") + name + " in " + parts[0]);
        break;
      }

      case ProbeKind::Signal: {  // self:signal:SIGUSR1 (or USR1, or a number)
        static const std::pair<const char *, int> kSignals[] = {{"SIGHUP", 1},   {"SIGINT", 2},   {"SIGQUIT", 3},
                                                                {"SIGUSR1", 10}, {"SIGUSR2", 12}, {"SIGALRM", 14},
                                                                {"SIGTERM", 15}, {"SIGCONT", 18}, {"SIGWINCH", 28}};
        int signo = 0;
        if (parts.size() == 2 && parts[0] == "signal")
          for (const auto &[name, n] : kSignals)
            if (parts[1] == name || parts[1] == std::string(name).substr(3)) signo = n;
        if (!signo) {
          bad("self probes must be written self:signal:SIGUSR1 (SIGUSR1, SIGUSR2, SIGHUP, SIGALRM, SIGCONT, SIGWINCH)");
          continue;
        }
        t.period = static_cast<uint64_t>(signo);
        t.spec = "self:signal:" + std::string(parts[1].rfind("SIG", 0) == 0 ? "" : "SIG") + parts[1];
        out->push_back(std::move(t));
        break;
      }

      case ProbeKind::Test:
      case ProbeKind::Bench: {  // test:NAME, bench:NAME: names are unique per kind
        std::string word = prov->kind == ProbeKind::Test ? "TEST" : "BENCH";
        if (parts.size() != 1 || parts[0].empty()) {
          bad(std::string(prov->name) + " probes must have a name");
          continue;
        }
        bool taken = std::any_of(out->begin(), out->end(), [&](const ProbeTarget &o) {
          return o.kind == prov->kind && o.target == parts[0];
        });
        if (taken) {
          bad("\"" + parts[0] + "\" was used as the name for more than one " + word + " probe");
          continue;
        }
        t.target = parts[0];
        t.spec = std::string(prov->name) + ":" + parts[0];
        out->push_back(std::move(t));
        break;
      }

      case ProbeKind::Iter: {  // iter:task, iter:task_file, iter:task_vma[:PIN]; `ctx` is struct bpf_iter__<name>
        if (parts.empty() || parts.size() > 2 ||
            (parts[0] != "task" && parts[0] != "task_file" && parts[0] != "task_vma")) {
          bad("iterator must be iter:task, iter:task_file or iter:task_vma, optionally followed by :PIN_PATH");
          continue;
        }
        if (parts.size() == 2) {  // pinned: a path in bpffs, relative ones under /sys/fs/bpf
          if (parts[1].empty()) {
            bad("the pin path of an iterator cannot be empty");
            continue;
          }
          t.target = parts[1][0] == '/' ? parts[1] : "/sys/fs/bpf/" + parts[1];
        }
        if (probe.attach_points.size() > 1) {
          bad("an iterator probe cannot share its block with other probes");
          continue;
        }
        t.func = parts[0];
        t.spec = "iter:" + parts[0] + (parts.size() == 2 ? ":" + parts[1] : "");
        out->push_back(std::move(t));
        break;
      }

      case ProbeKind::Hardware:
        if (!perf_event_probe("hardware", kHardwareEvents, 1000000, ap, &t, diags)) continue;
        out->push_back(std::move(t));
        break;

      case ProbeKind::Rawtp:
        if (parts.empty() || parts.size() > 2) {
          bad("rawtracepoint must be written rawtracepoint[:module]:event");
          continue;
        }
        rawtp_probes(ap, t, btf, diags, missing, out);
        break;

      case ProbeKind::Software:
        if (!perf_event_probe("software", kSoftwareEvents, 0, ap, &t, diags)) continue;
        out->push_back(std::move(t));
        break;

      case ProbeKind::Watchpoint:
        if (!watchpoint_probe(ap, &t, diags)) continue;
        out->push_back(std::move(t));
        break;
    }
  }
  if (out->size() == targets_before && count_errors(diags) == errors_before)
    report_empty_probe(probe, ctx.missing_probes, diags);
}

}  // namespace btc
