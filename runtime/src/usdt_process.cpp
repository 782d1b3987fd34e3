// usdt:*:provider:name globs with -p (see usdt_process.h).
#include "usdt_process.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "attach.h"
#include "usdt_process_matches.h"

namespace btc::rt {

// The matches of one glob probe, found before load; cookies first_cookie.. name them in order.
struct UsdtGlob {
  uint32_t probe;  // index in btc_tool.probes
  uint32_t first_cookie;
  std::vector<UsdtMatch> matches;
};
static std::vector<UsdtGlob> g_globs;
static bpf_map *g_names = nullptr;

// Grows libbpf's USDT map `name` (usdt.bpf.h) by `more` entries.
static void grow_map(bpf_object *obj, const char *name, uint32_t more) {
  if (bpf_map *map = bpf_object__find_map_by_name(obj, name))
    bpf_map__set_max_entries(map, bpf_map__max_entries(map) + more);
}

// The matches are those of the -p process's files, else (-c CMD) of the command's executable.
static uint32_t prepare(const btc_tool &tool, bpf_object *obj, int pid) {
  g_globs.clear();
  g_names = bpf_object__find_map_by_name(obj, BTC_USDT_NAMES_MAP);
  uint32_t cookies = 0, locations = 0;
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &probe = tool.probes[i];
    if (!is_usdt_process_glob(probe)) continue;
    UsdtGlob glob{i, cookies, {}};
    std::string func = probe.func ? probe.func : "";
    size_t colon = func.find(':');
    if (colon != std::string::npos && pid > 0)
      glob.matches = find_usdt_matches(pid, func.substr(0, colon), func.substr(colon + 1));
    else if (colon != std::string::npos && !child_executable().empty())
      glob.matches = find_usdt_file_matches(child_executable(), func.substr(0, colon), func.substr(colon + 1));
    for (const UsdtMatch &m : glob.matches) locations += m.locations;
    cookies += static_cast<uint32_t>(glob.matches.size());
    g_globs.push_back(std::move(glob));
  }
  if (g_names) bpf_map__set_max_entries(g_names, cookies > 0 ? cookies : 1);
  // libbpf keeps an argument spec per location and cookie: at worst one per matched location.
  if (locations > 0) {
    grow_map(obj, "__bpf_usdt_specs", locations);
    grow_map(obj, "__bpf_usdt_ip_to_spec_id", locations);
  }
  return cookies;
}

static std::string errno_text(int err) {
  char text[256];
  libbpf_strerror(err, text, sizeof text);
  return text;
}

// Names each match at its cookie ("usdt:FILE:PROVIDER:NAME", as bpftrace names the probes it
// expands), then attaches it; all matches or none.
static uint32_t attach(const btc_tool &tool, const btc_probe_desc &probe, bpf_program *prog, int pid, Links &links,
                       std::string &reason) {
  if (pid <= 0 && child_executable().empty()) {
    reason = "the binary '*' needs a target process (-p PID) or a command (-c CMD)";
    return 0;
  }
  const UsdtGlob *glob = nullptr;
  for (const UsdtGlob &g : g_globs)
    if (g.probe == static_cast<uint32_t>(&probe - tool.probes)) glob = &g;
  std::string func = probe.func ? probe.func : "";
  if (!glob || glob->matches.empty() || !g_names) {
    std::string where = pid > 0 ? "the files of process " + std::to_string(pid) : child_executable();
    reason = "no USDT probe matches '" + func + "' in " + where;
    return 0;
  }
  std::vector<bpf_link *> made;
  uint32_t cookie = glob->first_cookie;
  for (const UsdtMatch &m : glob->matches) {
    btc_uprobe_name name = {};
    snprintf(name.probe, sizeof name.probe, "usdt:%s:%s:%s", m.path.c_str(), m.provider.c_str(), m.name.c_str());
    bpf_map_update_elem(bpf_map__fd(g_names), &cookie, &name, BPF_ANY);
    LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = cookie++);
    bpf_link *link = bpf_program__attach_usdt(prog, pid, m.path.c_str(), m.provider.c_str(), m.name.c_str(), &opts);
    if (!link) {
      reason = "usdt:" + m.path + ":" + m.provider + ":" + m.name + ": " + errno_text(errno);
      for (bpf_link *l : made) bpf_link__destroy(l);
      return 0;
    }
    made.push_back(link);
  }
  for (bpf_link *l : made) links.add(l);
  return static_cast<uint32_t>(made.size());
}

}  // namespace btc::rt

extern "C" const btc_usdt_process_attacher btc_usdt_process_functions = {btc::rt::prepare, btc::rt::attach};
