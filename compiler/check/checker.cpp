// The checker's entry point and program-wide steps: config, script types, limits, enums.
#include "check/checker_impl.h"
#include "check/soft_delete.h"
#include "check/syscall_multi.h"
#include "check/tracepoint_rawtp.h"
#include "check/uprobe_multi.h"

namespace btc::checker_internal {

bool Checker::run() {
  apply_config();
  read_script_types();
  AttachContext actx{btf_, info_->config.missing_probes, info_->unsafe};
  for (const auto &probe : prog_.probes) resolve_attach_points(probe, actx, diags_, &info_->probes);
  if (info_->probes.empty() && !prog_.probes.empty() && !diags_.has_errors())
    error(DiagKind::Probe, prog_.probes.front().attach_points.front().range, "No probes to attach");
  warn_unreachable_statements(prog_, diags_);
  for (const auto &t : info_->probes) {  // interval:ms:$1 uses $1 too
    if (t.period_param > BTC_MAX_PARAMS)
      diags_.error(DiagKind::Probe, t.attach->range,
                   "positional parameter $" + std::to_string(t.period_param) + " is out of range (1.." +
                       std::to_string(BTC_MAX_PARAMS) + ")");
    info_->max_param = std::max(info_->max_param, t.period_param);
    if (t.period_param >= 1 && t.period_param <= BTC_MAX_PARAMS) info_->int_params |= 1u << (t.period_param - 1);
  }
  check_program_limits();
  if (diags_.has_errors()) return false;
  // Pass 1 (quiet): learn map types from assignments. Pass 2: check and report. Pass 1 is
  // repeated until the integer joins settle (a read takes the type a later store may widen).
  for (int pass = 0; pass < 2; pass++) {
    quiet_ = pass == 0;
    ints_changed_ = false;
    for (auto &t : info_->probes) check_probe(t);
    if (diags_.has_errors()) return false;
    if (!next_int_round() && quiet_ && ++int_rounds_ < kMaxIntRounds) pass--;
  }
  finish_maps();
  choose_soft_delete_maps(prog_, info_->maps);
  collect_printed_enums();
  // bpftrace: an iterator probe cannot be mixed with any other probe.
  bool has_iter = false;
  for (const auto &t : info_->probes) has_iter |= t.kind == ProbeKind::Iter;
  if (has_iter && info_->probes.size() > 1)
    for (const auto &t : info_->probes)
      if (t.kind == ProbeKind::Iter)
        error(DiagKind::Probe, t.attach->range, "an iterator probe cannot be mixed with other probes");
  group_uprobe_globs(&info_->probes);
  group_syscall_globs(&info_->probes);
  run_tracepoints_as_raw(&info_->probes, btf_);
  for (size_t i = 0; i < info_->probes.size(); i++) info_->probes[i].prog_name = "probe_" + std::to_string(i);
  return !diags_.has_errors();
}

// The enumerators of every enum whose values are printed (printf arguments, map keys and
// values, tuples of those), so the runtime can show a value as its enumerator's name.
void Checker::collect_printed_enums() {
  std::function<void(const Type &)> visit = [&](const Type &t) {
    for (const auto &el : t.inner)
      if (t.kind == TypeKind::Tuple) visit(el);
    if (!is_enum(t) || info_->enums.count(t.name)) return;
    auto list = info_->script_types.enumerators_of(t.name);
    if (list.empty() && btf_) list = btf_->enumerators_of(t.name);
    info_->enums[t.name] = std::move(list);
  };
  for (const auto &pf : info_->printfs)
    for (const auto &a : pf.args) visit(a);
  for (const auto &m : info_->maps) {
    for (const auto &k : m.keys) visit(k);
    visit(m.value);
  }
}

// config = { key = value; ... }: every key bpftrace accepts (check/config_keys.cpp).
void Checker::apply_config() {
  apply_config_items(prog_.config, info_->config, diags_);
  str_size_ = info_->config.max_strlen;
}

// How many probes bpftrace would attach, for max_probes: one per match, except that a uprobe
// glob's matches in one binary make one uprobe_multi probe. Globs matched at run time (uprobe:*,
// usdt globs in the -p process) count one here; the tool counts their matches when it starts.
// The positions in `probes` where each of those probes begins.
static std::vector<size_t> attach_point_starts(const std::vector<ProbeTarget> &probes) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < probes.size(); i++) {
    const ProbeTarget &t = probes[i];
    bool uprobe_glob = (t.kind == ProbeKind::Uprobe || t.kind == ProbeKind::Uretprobe) && !t.glob.empty();
    const ProbeTarget *prev = i > 0 ? &probes[i - 1] : nullptr;
    if (uprobe_glob && prev && prev->attach == t.attach && prev->target == t.target && prev->glob == t.glob) continue;
    starts.push_back(i);
  }
  return starts;
}

// config max_bpf_progs / max_probes: btc makes one program per attach point and attaches it once.
void Checker::check_program_limits() {
  const auto &c = info_->config;
  size_t n = info_->probes.size();
  std::vector<size_t> starts = attach_point_starts(info_->probes);
  info_->build_time_probes = 0;
  for (size_t i : starts) info_->build_time_probes += info_->probes[i].runtime_matches ? 0 : 1;
  if (n > c.max_bpf_progs) {
    diags_.error(DiagKind::Probe, info_->probes[c.max_bpf_progs].attach->range,
                 "Your program is trying to generate more than " + std::to_string(n) +
                     " BPF programs, which exceeds the current limit of " + std::to_string(c.max_bpf_progs));
  } else if (starts.size() > c.max_probes) {
    diags_.error(DiagKind::Probe, info_->probes[starts[c.max_probes]].attach->range,
                 "Can't attach to " + std::to_string(starts.size()) +
                     " probes because it exceeds the current limit of " + std::to_string(c.max_probes) + " probes.");
  }
}

// A struct or union of the script that kernel BTF defines too.
bool Checker::redefines_btf_record() const {
  static const std::regex kDefinition(R"(\b(struct|union)\s+([A-Za-z_]\w*)\s*\{)");
  for (const std::string &d : prog_.c_definitions) {
    if (d.empty() || d[0] == '#') continue;
    for (std::sregex_iterator it(d.begin(), d.end(), kDefinition), end; it != end; ++it) {
      auto rec = btf_->find_record((*it)[1].str() + " " + (*it)[2].str());
      if (rec && rec->size > 0) return true;
    }
  }
  return false;
}

// struct/union/enum/typedef definitions of the script; names they do not define come from BTF,
// unless the script redefines a kernel struct: then, as with bpftrace (whose clang would see
// two definitions), they must all come from the script.
void Checker::read_script_types() {
  bool use_btf = btf_ && !redefines_btf_record();
  ScriptTypes::Resolver resolve = [this, use_btf](const std::string &name) -> std::optional<Type> {
    if (!use_btf) return std::nullopt;
    if (name.rfind("struct ", 0) == 0 || name.rfind("union ", 0) == 0) return btf_->find_record(name);
    return btf_->parse_type(name);
  };
  for (size_t i = 0; i < prog_.c_definitions.size(); i++) {
    const std::string &d = prog_.c_definitions[i];
    if (d.empty() || d[0] == '#') continue;
    std::string err;
    SourceRange r = i < prog_.c_definition_ranges.size() ? prog_.c_definition_ranges[i] : SourceRange{};
    if (!info_->script_types.add_definition(d, resolve, &err))
      diags_.error(DiagKind::Semantic, r, "cannot read this C definition: " + err);
  }
}

// The size of a type in bytes; a script record's size is looked up (a pointer to a record may
// have been made before the record was complete).
uint32_t Checker::size_of(const Type &t) const {
  if (t.kind == TypeKind::Record && t.btf_id <= 0)
    if (const ScriptRecord *r = info_->script_types.record(t.name)) return r->size;
  return t.size;
}

void Checker::error(DiagKind kind, SourceRange r, const std::string &msg) {
  if (!quiet_) diags_.error(kind, r, msg);
  failed_ = true;
}

}  // namespace btc::checker_internal

namespace btc {

bool check_program(ast::Program &program, const KernelBtf *btf, Diagnostics &diags, ProgramInfo *info) {
  return checker_internal::Checker(program, btf, diags, info).run();
}

}  // namespace btc
