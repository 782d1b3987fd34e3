/* dw_ustack: the user stack unwound with the target process's .eh_frame tables, which the
 * runtime writes into btc_dw_rows / btc_dw_modules / btc_dw_info at start (see abi.h and
 * runtime/src/dw_unwind.h). From the user registers (ip, sp, bp) each step finds the module that
 * holds ip, its row (binary search), computes the CFA, reads the return address at CFA - 8 and
 * the caller's rbp when the row saved it. The frames go into btc_dw_stacks under an id hashed
 * from them, so that equal stacks get equal ids (map keys) like bpf_get_stackid's. */
#ifndef BTC_DW_UNWIND_H
#define BTC_DW_UNWIND_H

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, BTC_DW_MAX_ROWS);
  __type(key, __u32);
  __type(value, struct btc_dw_row);
} btc_dw_rows SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, BTC_DW_MAX_MODULES);
  __type(key, __u32);
  __type(value, struct btc_dw_module);
} btc_dw_modules SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct btc_dw_info);
} btc_dw_info SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u32);
  __type(value, __u64[BTC_MAX_STACK_FRAMES]);
} btc_dw_stacks SEC(".maps");

/* The walk in progress (one per CPU): the frames so far and the registers of the next one. */
struct btc_dw_walk {
  __u64 frames[BTC_MAX_STACK_FRAMES];
  __u64 ip, sp, bp;
  __u32 n, limit, nmodules;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct btc_dw_walk);
} btc_dw_walk_buf SEC(".maps");

/* x86-64 struct pt_regs: where bp, ip and sp are. */
#define BTC_PT_REGS_BP 32
#define BTC_PT_REGS_IP 128
#define BTC_PT_REGS_SP 152

/* The module (executable mapping) holding pc, or NULL. */
static __always_inline struct btc_dw_module *btc_dw_module_at(__u64 pc, __u32 nmodules) {
  for (__u32 k = 0; k < BTC_DW_MAX_MODULES; k++) {
    if (k >= nmodules) break;
    __u32 key = k;
    struct btc_dw_module *m = bpf_map_lookup_elem(&btc_dw_modules, &key);
    if (m && pc >= m->start && pc < m->end) return m;
  }
  return 0;
}

/* The row of module m that holds file address rel (the last one whose pc <= rel), or NULL. */
static __always_inline struct btc_dw_row *btc_dw_row_at(struct btc_dw_module *m, __u64 rel) {
  __u32 first = m->first_row, lo = first, hi = first + m->nrows;
  for (int step = 0; step < 18; step++) { /* 2^18 > BTC_DW_MAX_ROWS */
    if (lo >= hi) break;
    __u32 mid = lo + (hi - lo) / 2;
    struct btc_dw_row *row = bpf_map_lookup_elem(&btc_dw_rows, &mid);
    if (!row) return 0;
    if (row->pc <= rel)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == first) return 0;
  __u32 at = lo - 1;
  return bpf_map_lookup_elem(&btc_dw_rows, &at);
}

/* One frame (a bpf_loop callback): records ip, then moves the registers to the caller's frame.
 * Returns 1 to stop. */
static long btc_dw_step(__u32 i, void *unused) {
  __u32 zero = 0;
  struct btc_dw_walk *w = bpf_map_lookup_elem(&btc_dw_walk_buf, &zero);
  if (!w) return 1;
  __u32 n = w->n;
  if (n >= w->limit || n >= BTC_MAX_STACK_FRAMES || w->ip == 0) return 1;
  w->frames[n] = w->ip;
  w->n = n + 1;
  /* A return address is just past its call: look up the call instruction. */
  __u64 pc = n ? w->ip - 1 : w->ip;
  struct btc_dw_module *m = btc_dw_module_at(pc, w->nmodules);
  if (!m) return 1;
  struct btc_dw_row *row = btc_dw_row_at(m, pc - m->bias);
  if (!row || row->cfa_reg == BTC_DW_CFA_NONE) return 1;
  __u64 cfa;
  if (row->cfa_reg == BTC_DW_CFA_PLT) /* a PLT stub: 8 more once past its push */
    cfa = w->sp + 8 + ((w->ip & 15) >= (__u64)row->cfa_offset ? 8 : 0);
  else
    cfa = (row->cfa_reg == BTC_DW_CFA_RSP ? w->sp : w->bp) + (__s64)row->cfa_offset;
  __u64 ra = 0;
  if (bpf_probe_read_user(&ra, sizeof(ra), (void *)(cfa - 8)) != 0) return 1;
  if (row->rbp_saved) {
    __u64 bp = 0;
    if (bpf_probe_read_user(&bp, sizeof(bp), (void *)(cfa + row->rbp_offset)) != 0) return 1;
    w->bp = bp;
  }
  w->sp = cfa;
  w->ip = ra;
  return 0;
}

/* Whether two zero-padded frame arrays are equal. */
static __always_inline int btc_dw_same_frames(const __u64 *a, const __u64 *b) {
  for (__u32 i = 0; i < BTC_MAX_STACK_FRAMES; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* dw_ustack's value: the stack id (BTC_DW_STACK_ID_FLAG set; with len() of stacks in the program
 * the depth in bits 32 and up), negative when there is none. A process the tables do not describe
 * sends printf-table entry warn_id (when >= 0). */
static __always_inline __s64 btc_dw_ustack(void *ctx, __u32 limit, int warn_id) {
  __u32 zero = 0;
  struct btc_dw_info *info = bpf_map_lookup_elem(&btc_dw_info, &zero);
  struct btc_dw_walk *w = bpf_map_lookup_elem(&btc_dw_walk_buf, &zero);
  if (!info || !w) return -1;
  if (info->nmodules == 0 || info->tgid != (__u32)(btc_ns_pid_tgid() >> 32)) {
    if (warn_id >= 0) btc_signal(ctx, BTC_EV_PRINTF, (__u32)warn_id);
    return -1;
  }
  /* The user registers, whatever the program type (uprobe, tracepoint, profile, ...). */
  char *regs = (char *)bpf_task_pt_regs(bpf_get_current_task_btf());
  if (bpf_probe_read_kernel(&w->ip, sizeof(w->ip), regs + BTC_PT_REGS_IP) != 0 ||
      bpf_probe_read_kernel(&w->sp, sizeof(w->sp), regs + BTC_PT_REGS_SP) != 0 ||
      bpf_probe_read_kernel(&w->bp, sizeof(w->bp), regs + BTC_PT_REGS_BP) != 0)
    return -1;
  w->n = 0;
  w->limit = limit;
  w->nmodules = info->nmodules;
  bpf_loop(BTC_MAX_STACK_FRAMES, btc_dw_step, 0, 0);

  /* FNV-1a over the zero-padded frames. */
  __u32 n = w->n;
  __u64 h = 14695981039346656037ULL;
  for (__u32 i = 0; i < BTC_MAX_STACK_FRAMES; i++) {
    if (i >= n) w->frames[i] = 0;
    h = (h ^ w->frames[i]) * 1099511628211ULL;
  }
  __u32 id = ((__u32)(h ^ (h >> 32)) & (BTC_DW_STACK_ID_FLAG - 1)) | BTC_DW_STACK_ID_FLAG;
  /* Another stack under the same id: the next ids, a few times. */
  int found = 0;
  for (int probe = 0; probe < 4; probe++) {
    long err = bpf_map_update_elem(&btc_dw_stacks, &id, w->frames, BPF_NOEXIST);
    if (err == 0) {
      found = 1;
      break;
    }
    if (err != -17 /* EEXIST */) return -1; /* the map is full */
    __u64 *stored = bpf_map_lookup_elem(&btc_dw_stacks, &id);
    if (stored && btc_dw_same_frames(stored, w->frames)) {
      found = 1;
      break;
    }
    id = ((id + 1) & (BTC_DW_STACK_ID_FLAG - 1)) | BTC_DW_STACK_ID_FLAG;
  }
  if (!found) return -1;
#ifdef BTC_STACK_LEN
  return (__s64)((__u64)n << 32 | id);
#else
  return (__s64)id;
#endif
}

#endif /* BTC_DW_UNWIND_H */
