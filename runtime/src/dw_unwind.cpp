#include "dw_unwind.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "child_process.h"
#include "cli.h"
#include "diag.h"
#include "eh_frame.h"
#include "stack_format.h"
#include "text_file.h"

namespace btc::rt {

std::vector<Mapping> parse_exec_mappings(const std::string &maps) {
  std::vector<Mapping> out;
  for (Mapping &m : parse_proc_maps(maps))
    if (m.executable && !m.path.ends_with(" (deleted)")) out.push_back(std::move(m));
  return out;
}

// Run-time address minus file virtual address for mapping m of `file`: from the PT_LOAD segment
// that holds the mapping's file offset. False when no segment does.
static bool load_bias(const UnwindFile &file, const Mapping &m, uint64_t &bias) {
  for (const LoadSegment &s : file.segments) {
    uint64_t page_offset = s.offset & ~0xfffULL;
    if (m.file_offset < page_offset || m.file_offset >= s.offset + s.filesz) continue;
    bias = m.start - (m.file_offset + s.vaddr - s.offset);
    return true;
  }
  return false;
}

static btc_dw_row to_bpf_row(const UnwindRow &r) {
  btc_dw_row row = {};
  row.pc = r.pc;
  row.cfa_offset = r.cfa_offset;
  row.cfa_reg = r.cfa_reg;
  row.rbp_saved = r.rbp_saved;
  row.rbp_offset = static_cast<int16_t>(r.rbp_offset);
  return row;
}

void build_unwind_tables(int pid, std::vector<btc_dw_module> &modules, std::vector<btc_dw_row> &rows,
                         std::string &note) {
  std::string proc = "/proc/" + std::to_string(pid);
  std::map<std::string, std::pair<uint32_t, uint32_t>> placed;  // path -> (first row, count)
  std::map<std::string, UnwindFile> files;
  for (const Mapping &m : parse_exec_mappings(read_text_file(proc + "/maps"))) {
    if (modules.size() >= BTC_DW_MAX_MODULES) {
      if (note.empty()) note = "more than " + std::to_string(BTC_DW_MAX_MODULES) + " executable mappings";
      break;
    }
    auto file = files.find(m.path);
    if (file == files.end()) {
      UnwindFile f;
      std::string error;
      if (!read_unwind_file(proc + "/root" + m.path, f, error)) {
        if (note.empty()) note = error;
        f.rows.clear();
      }
      file = files.emplace(m.path, std::move(f)).first;
    }
    uint64_t bias = 0;
    if (file->second.rows.empty() || !load_bias(file->second, m, bias)) continue;
    auto at = placed.find(m.path);
    if (at == placed.end()) {
      const std::vector<UnwindRow> &r = file->second.rows;
      if (rows.size() + r.size() > BTC_DW_MAX_ROWS) {
        if (note.empty()) note = "the unwind tables do not fit (" + m.path + " left out)";
        continue;
      }
      at = placed.emplace(m.path, std::make_pair(static_cast<uint32_t>(rows.size()), static_cast<uint32_t>(r.size())))
               .first;
      for (const UnwindRow &row : r) rows.push_back(to_bpf_row(row));
    }
    modules.push_back(btc_dw_module{m.start, m.end, bias, at->second.first, at->second.second});
  }
  std::sort(modules.begin(), modules.end(),
            [](const btc_dw_module &a, const btc_dw_module &b) { return a.start < b.start; });
}

// Writes `n` elements of `size` bytes at `values` into ARRAY map `fd` at indexes 0..n-1.
static bool fill_array(int fd, const void *values, size_t size, uint32_t n, std::string &error) {
  std::vector<uint32_t> keys(n);
  for (uint32_t i = 0; i < n; i++) keys[i] = i;
  uint32_t count = n;
  if (n == 0 || bpf_map_update_batch(fd, keys.data(), values, &count, nullptr) == 0) return true;
  for (uint32_t i = 0; i < n; i++) {  // kernels without batch operations
    if (bpf_map_update_elem(fd, &keys[i], static_cast<const char *>(values) + i * size, BPF_ANY) != 0) {
      error = std::string("cannot write the unwind tables: ") + strerror(errno);
      return false;
    }
  }
  return true;
}

static int map_fd(bpf_object *object, const char *name) {
  bpf_map *map = bpf_object__find_map_by_name(object, name);
  return map ? bpf_map__fd(map) : -1;
}

// Writes the tables of process pid into the object's maps.
static bool write_tables(bpf_object *object, int pid, std::string &error) {
  std::vector<btc_dw_module> modules;
  std::vector<btc_dw_row> rows;
  std::string note;
  build_unwind_tables(pid, modules, rows, note);
  if (!note.empty()) print_warning("dw_ustack: " + note);
  int rows_fd = map_fd(object, BTC_DW_ROWS_MAP_NAME), modules_fd = map_fd(object, BTC_DW_MODULES_MAP_NAME),
      info_fd = map_fd(object, BTC_DW_INFO_MAP_NAME);
  if (rows_fd < 0 || modules_fd < 0 || info_fd < 0) {
    error = "the BPF object has no dw_ustack unwind table maps";
    return false;
  }
  if (!fill_array(rows_fd, rows.data(), sizeof(btc_dw_row), static_cast<uint32_t>(rows.size()), error) ||
      !fill_array(modules_fd, modules.data(), sizeof(btc_dw_module), static_cast<uint32_t>(modules.size()), error))
    return false;
  set_dw_stack_map(map_fd(object, BTC_DW_STACKS_MAP_NAME));  // where the printed stacks are
  btc_dw_info info = {static_cast<btc_u32>(pid), static_cast<btc_u32>(modules.size())};
  uint32_t zero = 0;
  if (bpf_map_update_elem(info_fd, &zero, &info, BPF_ANY) != 0) {
    error = std::string("cannot write the unwind tables: ") + strerror(errno);
    return false;
  }
  return true;
}

static bool start(bpf_object *object, const CliOptions &options, ChildProcess *child) {
  if (!options.dwarf_pid && !child && !options.pid) {
    log_error("dw_ustack requires a target process. Use -p, -c, or --dwarf-pid to specify one.");  // bpftrace's
    return false;
  }
  std::string error;
  int pid = options.dwarf_pid ? static_cast<int>(*options.dwarf_pid)
            : child           ? child->pid()
                              : static_cast<int>(*options.pid);
  if ((!options.dwarf_pid && child && !child->run_to_entry(error)) || !write_tables(object, pid, error)) {
    print_error(error);
    return false;
  }
  return true;
}

}  // namespace btc::rt

extern "C" const btc_dw_unwind btc_dw_unwind_functions = {btc::rt::start};
