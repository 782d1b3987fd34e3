/* Common prelude of every BPF object btc emits. Kept minimal: basic types, libbpf's
 * helper headers, the ABI shared with the runtime, and the few helpers generated
 * code calls (events, strings, histogram buckets). */
#ifndef BTC_BPF_H
#define BTC_BPF_H

/* Basic types (__u64, ...) and BPF enums come first, from the emitted kernel types
 * (compiler/btf, minimal vmlinux.h subset) or from <linux/bpf.h> when there is no BTF. */
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#ifdef BTC_USDT
#include <bpf/usdt.bpf.h> /* USDT argument decoding (libbpf) */
#endif

#include "abi.h"

#ifndef BTC_LICENSE
#define BTC_LICENSE "GPL" /* config = { license = "..." } */
#endif
char LICENSE[] SEC("license") = BTC_LICENSE;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, BTC_RINGBUF_PAGES * 4096);
} btc_events SEC(".maps");

#ifdef BTC_STACKS
/* kstack/ustack: stack ids index this map; the runtime reads and symbolizes the frames. */
struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, BTC_MAX_STACK_FRAMES * sizeof(__u64));
  __uint(max_entries, 4096);
} btc_stacks SEC(".maps");
#endif

#ifdef BTC_BUILD_ID_STACKS
/* ustack(build_id): the kernel stores each frame as (build id, file offset), or its address
 * when the file has no build id: struct bpf_stack_build_id, 32 bytes. */
struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(map_flags, 1U << 5); /* BPF_F_STACK_BUILD_ID */
  __uint(key_size, sizeof(__u32));
  __uint(value_size, BTC_MAX_STACK_FRAMES * 32);
  __uint(max_entries, 1024);
} btc_build_id_stacks SEC(".maps");
#endif

#ifdef BTC_SKB_OUTPUT
/* skboutput(): packets travel through their own perf event array, the only map bpf_skb_output
 * writes to (libbpf gives it a slot per possible CPU). */
struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} btc_skb_events SEC(".maps");

/* Sends the first len bytes of skb's data, after a btc_skb_record naming call `id`. Returns
 * bpf_skb_output's result as bpftrace does: 0, or a negative errno as a uint32. */
static __always_inline __u32 btc_skb_output(void *skb, __u64 len, __u32 id) {
  struct btc_skb_record r = {.boot_ns = bpf_ktime_get_boot_ns(), .id = id, .len = (__u32)len};
  return (__u32)bpf_skb_output(skb, &btc_skb_events, (len << 32) | BPF_F_CURRENT_CPU, &r, sizeof(r));
}
#endif

#ifdef BTC_STACK_LEN
/* len(kstack/ustack): a stack id also carries the stack's depth (at most `limit` frames) in
 * bits 32 and up; the runtime reads the id from the low 32 bits. The frames are copied once
 * more, into this per-CPU buffer, just to count them. */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64[BTC_MAX_STACK_FRAMES]);
} btc_stack_frames SEC(".maps");

static __always_inline __s64 btc_stack_with_depth(void *ctx, __u64 flags, __u32 limit) {
  __s64 id = bpf_get_stackid(ctx, &btc_stacks, flags);
  __u32 zero = 0;
  __u64 *frames = bpf_map_lookup_elem(&btc_stack_frames, &zero);
  if (id < 0 || !frames) return id;
  if (limit > BTC_MAX_STACK_FRAMES) limit = BTC_MAX_STACK_FRAMES;
  long n = bpf_get_stack(ctx, frames, limit * sizeof(__u64), flags);
  return n > 0 ? id | ((__s64)(n / sizeof(__u64)) << 32) : id;
}
#endif

#ifdef BTC_UADDR_PIE
/* The task-VMA iterator kfuncs (Linux 6.7+); the iterator's state is opaque to the program. */
struct btc_iter_task_vma {
  __u64 opaque[1];
} __attribute__((aligned(8)));
extern int bpf_iter_task_vma_new(struct btc_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym __weak;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct btc_iter_task_vma *it) __ksym __weak;
extern void bpf_iter_task_vma_destroy(struct btc_iter_task_vma *it) __ksym __weak;

/* The inode of the file mapped at user address `addr` of the current process (NULL: none). */
static __always_inline struct inode *btc_vma_inode(__u64 addr) {
  struct btc_iter_task_vma it;
  struct vm_area_struct *vma;
  struct inode *inode = 0;
  if (bpf_iter_task_vma_new(&it, bpf_get_current_task_btf(), addr) == 0 && (vma = bpf_iter_task_vma_next(&it))) {
    struct file *file = vma->vm_file;
    inode = file && vma->vm_start <= addr ? file->f_inode : 0;
  }
  bpf_iter_task_vma_destroy(&it);
  return inode;
}

/* uaddr() in a position-independent binary (uprobe, usdt): where the current process maps the
 * file holding the probed instruction `ip` (the start of its lowest mapping: mappings come in
 * address order), added to the symbol's ELF address; 0 when the kernel lacks the kfuncs (< 6.7). */
static __noinline __u64 btc_file_load_addr(__u64 ip) {
  if (!bpf_iter_task_vma_new || !bpf_iter_task_vma_next || !bpf_iter_task_vma_destroy) return 0;
  struct inode *inode = btc_vma_inode(ip);
  if (!inode) return 0;
  __u64 start = 0;
  struct btc_iter_task_vma it;
  struct vm_area_struct *vma;
  if (bpf_iter_task_vma_new(&it, bpf_get_current_task_btf(), 0) == 0) {
    while ((vma = bpf_iter_task_vma_next(&it))) {
      struct file *file = vma->vm_file;
      if (file && file->f_inode == inode) {
        start = vma->vm_start;
        break;
      }
    }
  }
  bpf_iter_task_vma_destroy(&it);
  return start;
}
#endif

__u64 btc_lost_events = 0;
const volatile struct btc_params btc_params SEC(BTC_PARAMS_SECTION);

#ifndef BTC_MAX_CPUS
#define BTC_MAX_CPUS 512 /* upper bound for per-CPU reads inside BPF */
#endif

#ifdef BTC_UPROBE_NAMES
/* uprobe:*:glob with -p (abi.h, BTC_UPROBE_NAMES_MAP): sized and filled by the runtime. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct btc_uprobe_name);
} btc_uprobe_names SEC(".maps");
#endif
#ifdef BTC_USDT_NAMES
/* usdt:*:provider:name globs with -p (abi.h, BTC_USDT_NAMES_MAP): sized and filled by the runtime. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct btc_uprobe_name);
} btc_usdt_names SEC(".maps");
#endif
#if defined(BTC_UPROBE_NAMES) || defined(BTC_USDT_NAMES)
static const struct btc_uprobe_name btc_uprobe_no_name;
#endif

/* Perf-buffer mode (abi.h, BTC_EVENT_BUF_NAME): records are built here. btc_params.perf_buffer is
 * a load-time constant, so the verifier drops the path of the other mode; in ring-buffer mode the
 * runtime does not even create this map. BTC_EVENT_MAX_SIZE: the script's largest record. */
#ifndef BTC_EVENT_MAX_SIZE
#define BTC_EVENT_MAX_SIZE 24
#endif
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, BTC_EVENT_MAX_SIZE);
} btc_event_buf SEC(".maps");

/* Reserve an event record of `size` bytes (header included); counts a lost event on failure. */
static __always_inline void *btc_reserve(__u64 size, __u32 kind, __u32 id) {
  struct btc_event_hdr *h;
  if (btc_params.perf_buffer) {
    __u32 zero = 0;
    h = bpf_map_lookup_elem(&btc_event_buf, &zero);
    if (h && h->kind) h = 0; /* in use by a program this one interrupted on this CPU: lost */
  } else {
    h = bpf_ringbuf_reserve(&btc_events, size, 0);
  }
  if (!h) {
    __sync_fetch_and_add(&btc_lost_events, 1);
    return 0;
  }
  h->kind = kind;
  h->id = id;
  return h;
}

/* Sends a record from btc_reserve() of `size` bytes. ctx is the program's context (the perf
 * output helper needs it). Every failed output counts as lost, -ENOSPC (a full buffer) included:
 * the kernel's own count of those reaches user space only with the CPU's next record. */
static __always_inline void btc_submit(void *ctx, void *ev, __u64 size) {
  if (btc_params.perf_buffer) {
    long err = bpf_perf_event_output(ctx, &btc_events, BPF_F_CURRENT_CPU, ev, size);
    ((struct btc_event_hdr *)ev)->kind = 0; /* btc_event_buf is free again */
    if (err) __sync_fetch_and_add(&btc_lost_events, 1);
  } else {
    bpf_ringbuf_submit(ev, 0);
  }
}

/* Header-only events: exit, print/clear/zero a map. */
static __always_inline void btc_signal(void *ctx, __u32 kind, __u32 id) {
  void *h = btc_reserve(sizeof(struct btc_event_hdr), kind, id);
  if (h) btc_submit(ctx, h, sizeof(struct btc_event_hdr));
}

/* A map update failed with -E2BIG (map full): tell the runtime, which warns once per map. The
 * BTC_MAP_* macros below pass `ctx`: they expand inside programs and loop callbacks, where ctx
 * is the program's context. */
#define BTC_E2BIG 7
/* Whether a map update failed because the map is full. Compared as an int: kernels that call the
 * map's own update function in place of the helper (6.1) return its int result zero-extended
 * (-E2BIG as 0xfffffff9). */
static __always_inline int btc_map_full(long err) { return (int)err == -BTC_E2BIG; }

static __always_inline void btc_update_failed(void *ctx, long err, __u32 map_id) {
  if (btc_map_full(err)) btc_signal(ctx, BTC_EV_MAP_FULL, map_id);
}

/* comm: the bytes bpf_get_current_comm() gives (the name up to its NUL, then zeros), read
 * straight from task_struct with two 8-byte loads when the runtime knows where comm is
 * (btc_params.comm_offset, abi.h): a fifth of the (a) benchmark's cost. Kernels whose
 * __set_task_comm() uses strlcpy() keep bytes of a longer earlier name after the NUL (6.1 and
 * 6.18 pad with zeros); they are cleared here. Otherwise the helper, into zeroed bytes (before this,
 * `@[comm]` on 6.1 split one name over several keys). No CO-RE relocation: one would
 * make libbpf load the whole kernel BTF at start (~25 ms, ~12 MB). dst: 16 bytes, 8-byte aligned. */

/* The bytes of w (little-endian) before its first zero byte, as a mask; all when there is none.
 * The lowest 0x80 bit of the classic zero-byte test marks the first zero byte exactly. */
static __always_inline __u64 btc_before_nul(__u64 w) {
  __u64 z = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
  return z ? ((z & -z) >> 7) - 1 : ~0ULL;
}

static __always_inline void btc_current_comm(char *dst) {
  __u64 off = btc_params.comm_offset;
  if (off) {  /* a constant to the verifier: the other branch is never checked */
    const __u64 *c = (const __u64 *)((const char *)bpf_get_current_task_btf() + off);
    __u64 lo = c[0], keep = btc_before_nul(lo);
    ((__u64 *)dst)[0] = lo & keep;
    ((__u64 *)dst)[1] = keep == ~0ULL ? c[1] & btc_before_nul(c[1]) : 0;
  } else {  /* 6.1's helper (strscpy) leaves the bytes after the NUL's word as they were */
    ((__u64 *)dst)[0] = 0;
    ((__u64 *)dst)[1] = 0;
    bpf_get_current_comm(dst, 16);
  }
}

/* bpftrace string equality over at most n bytes: equal up to and including the first NUL. */
static __always_inline int btc_streq(const char *a, const char *b, __u32 n) {
  for (__u32 i = 0; i < n; i++) {
    if (a[i] != b[i]) return 0;
    if (a[i] == 0) return 1;
  }
  return 1;
}

/* buf() equality: the same u64 length, then the same bytes (n = the smaller capacity). */
static __always_inline int btc_bufeq(const char *a, const char *b, __u32 n) {
  __u64 la, lb;
  __builtin_memcpy(&la, a, 8);
  __builtin_memcpy(&lb, b, 8);
  if (la != lb) return 0;
  for (__u32 i = 0; i < n; i++)
    if (i < la && a[8 + i] != b[8 + i]) return 0;
  return 1;
}

/* n bytes of a and b are equal (whole array values: `$a == $b`). */
static __always_inline int btc_memeq(const char *a, const char *b, __u32 n) {
  for (__u32 i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* strlen() over at most n bytes. */
static __always_inline __u64 btc_strlen(const char *s, __u32 n) {
  for (__u32 i = 0; i < n; i++)
    if (s[i] == 0) return i;
  return n;
}

/* strncmp(): 0 when the first n bytes (up to a shared NUL) are equal, 1 otherwise. */
static __always_inline __s64 btc_strncmp(const char *a, const char *b, __u32 n) {
  for (__u32 i = 0; i < n; i++) {
    if (a[i] != b[i]) return 1;
    if (a[i] == 0) return 0;
  }
  return 0;
}

/* strcontains(): whether needle (at most m bytes) occurs in haystack (at most n bytes). */
static __always_inline int btc_strcontains(const char *h, __u32 n, const char *needle, __u32 m) {
  if (needle[0] == 0) return 1;
  for (__u32 i = 0; i < n && h[i]; i++) {
    __u32 j = 0;
    for (; j < m && i + j < n; j++) {
      if (needle[j] == 0) return 1;
      if (h[i + j] != needle[j]) break;
    }
    if (j < m && i + j < n && needle[j] == 0) return 1;
    if (j == m) return 1;
  }
  return 0;
}

/* strstr(h, needle): index of the first occurrence of needle in h, -1 if none. */
static __always_inline __s64 btc_strstr(const char *h, __u32 n, const char *needle, __u32 m) {
  if (m == 0 || needle[0] == 0) return 0;
  for (__u32 i = 0; i < n && h[i]; i++) {
    __u32 j = 0;
    while (j < m && needle[j] && i + j < n && h[i + j] == needle[j]) j++;
    if (j == m || needle[j] == 0) return i;
  }
  return -1;
}

/* pid/tid (tgid << 32 | pid) as seen from the tool's pid namespace when it runs in one
 * (btc_params.pidns_*), else from the initial namespace. */
static __always_inline __u64 btc_ns_pid_tgid(void) {
  if (!btc_params.pidns_ino) return bpf_get_current_pid_tgid();
  struct {
    __u32 pid, tgid;
  } ns = {};
  bpf_get_ns_current_pid_tgid(btc_params.pidns_dev, btc_params.pidns_ino, (struct bpf_pidns_info *)&ns, sizeof(ns));
  return (__u64)ns.tgid << 32 | ns.pid;
}

/* len(@m): bpf_for_each_map_elem callback counting elements. */
static long btc_count_elem(void *map, const void *key, void *value, void *ctx) {
  (*(__u64 *)ctx)++;
  return 0;
}

/* hist() bucket index (see abi.h). */
static __always_inline __u64 btc_log2_bucket(__s64 n, __u64 k) {
  if (n < 0) return 0;
  __u64 mask = (1ULL << k) - 1;
  __u64 v = (__u64)n;
  if (v <= mask) return v + 1;
  __u64 l = 0, s;
  s = (v >= (1ULL << 32)) << 5; v >>= s; l += s;
  s = (v >= (1ULL << 16)) << 4; v >>= s; l += s;
  s = (v >= (1ULL << 8)) << 3; v >>= s; l += s;
  s = (v >= (1ULL << 4)) << 2; v >>= s; l += s;
  s = (v >= (1ULL << 2)) << 1; v >>= s; l += s;
  s = (v >= (1ULL << 1)); v >>= s; l += s;
  l -= k;
  __u64 x = ((__u64)n >> l) & mask;
  return ((l + 1) << k) + x + 1;
}

/* lhist() bucket index (see abi.h). */
static __always_inline __u64 btc_linear_bucket(__s64 n, __s64 min, __s64 max, __s64 step) {
  if (n < min) return 0;
  if (n > max) return 1 + (__u64)(max - min) / (__u64)step;
  return 1 + (__u64)(n - min) / (__u64)step;
}

/* Signed division and modulo with C semantics (truncation toward zero), built on unsigned
 * division: BPF before cpu v4 (kernel 6.6) has no signed divide. Division by zero gives 0. */
static __always_inline __s64 btc_sdiv(__s64 a, __s64 b) {
  if (b == 0) return 0;
  __u64 ua = a < 0 ? -(__u64)a : (__u64)a;
  __u64 ub = b < 0 ? -(__u64)b : (__u64)b;
  __u64 q = ua / ub;
  return ((a < 0) != (b < 0)) ? -(__s64)q : (__s64)q;
}

static __always_inline __s64 btc_smod(__s64 a, __s64 b) {
  if (b == 0) return 0;
  __u64 ua = a < 0 ? -(__u64)a : (__u64)a;
  __u64 ub = b < 0 ? -(__u64)b : (__u64)b;
  __u64 r = ua % ub;
  return a < 0 ? -(__s64)r : (__s64)r;
}

/* A key-less hist()/lhist() (see abi.h): one per-CPU array element, word 0 = "touched", then one
 * count per bucket. The bound check only satisfies the verifier: bucket < nbuckets always, and
 * clang would drop the check where it can prove that (the verifier cannot bound a division), so
 * the empty asm hides the value from clang. */
#define BTC_HIST_SLOT_ADD(map, bucket, nbuckets)                       \
  do {                                                                 \
    __u32 btc_zero_ = 0;                                               \
    __u64 btc_b_ = (bucket);                                           \
    asm volatile("" : "+r"(btc_b_));                                   \
    __u64 *btc_h_ = bpf_map_lookup_elem(map, &btc_zero_);              \
    if (btc_h_ && btc_b_ < (nbuckets)) {                               \
      btc_h_[0] = 1;                                                   \
      btc_h_[1 + btc_b_] += 1;                                         \
    }                                                                  \
  } while (0)

/* Maps with a live word (compiler/check/soft_delete.h): the value is {v, live}; delete() clears
 * live in place, a store revives the entry in place, a dead entry reads as missing. */
struct btc_live_val {
  __u64 v;
  __u64 live;
};

/* bpf_for_each_map_elem callback: removes the dead entries of a full map. */
static long btc_sweep_dead(void *map, const void *key, void *value, void *ctx) {
  if (!((struct btc_live_val *)value)->live) bpf_map_delete_elem(map, key);
  return 0;
}

/* @m[k] = v on a live-word map: in place when the entry is there (live or dead); else an insertion,
 * which a full map retries once after sweeping its dead entries. */
#define BTC_LIVE_STORE(map, id, key, val)                                  \
  do {                                                                 \
    struct btc_live_val *btc_e_ = bpf_map_lookup_elem(map, key);       \
    if (btc_e_) {                                                      \
      btc_e_->v = (__u64)(val);                                        \
      btc_e_->live = 1;                                                \
    } else {                                                           \
      struct btc_live_val btc_n_ = {(__u64)(val), 1};                  \
      long btc_err_ = bpf_map_update_elem(map, key, &btc_n_, BPF_ANY); \
      if (btc_map_full(btc_err_)) {                                    \
        bpf_for_each_map_elem(map, btc_sweep_dead, 0, 0);              \
        btc_err_ = bpf_map_update_elem(map, key, &btc_n_, BPF_ANY);    \
      }                                                                \
      btc_update_failed(ctx, btc_err_, id);                            \
    }                                                                  \
  } while (0)

/* Per-CPU aggregate updates: lookup, else insert the first value. */
#define BTC_MAP_ADD(map, id, key, delta)                                   \
  do {                                                                 \
    __s64 *btc_v_ = bpf_map_lookup_elem(map, key);                     \
    if (btc_v_) {                                                      \
      *btc_v_ += (delta);                                              \
    } else {                                                           \
      __s64 btc_init_ = (delta);                                       \
      btc_update_failed(ctx, bpf_map_update_elem(map, key, &btc_init_, BPF_NOEXIST), id); \
    }                                                                  \
  } while (0)

#define BTC_MAP_ATOMIC_ADD(map, id, key, delta)                            \
  do {                                                                 \
    __s64 *btc_v_ = bpf_map_lookup_elem(map, key);                     \
    if (btc_v_) {                                                      \
      __sync_fetch_and_add(btc_v_, (delta));                           \
    } else {                                                           \
      __s64 btc_init_ = (delta);                                       \
      long btc_err_ = bpf_map_update_elem(map, key, &btc_init_, BPF_NOEXIST); \
      btc_update_failed(ctx, btc_err_, id);                            \
      if (btc_err_) {                                                  \
        btc_v_ = bpf_map_lookup_elem(map, key);                        \
        if (btc_v_) __sync_fetch_and_add(btc_v_, (delta));             \
      }                                                                \
    }                                                                  \
  } while (0)

#define BTC_MAP_MINMAX(map, id, key, val, cmp)                             \
  do {                                                                 \
    __s64 btc_x_ = (val);                                              \
    struct btc_minmax *btc_m_ = bpf_map_lookup_elem(map, key);         \
    if (btc_m_) {                                                      \
      if (!btc_m_->is_set || btc_x_ cmp btc_m_->value) {               \
        btc_m_->value = btc_x_;                                        \
        btc_m_->is_set = 1;                                            \
      }                                                                \
    } else {                                                           \
      struct btc_minmax btc_i_ = {btc_x_, 1};                          \
      btc_update_failed(ctx, bpf_map_update_elem(map, key, &btc_i_, BPF_NOEXIST), id); \
    }                                                                  \
  } while (0)

#define BTC_MAP_AVG(map, id, key, val)                                     \
  do {                                                                 \
    __s64 btc_x_ = (val);                                              \
    struct btc_avg *btc_a_ = bpf_map_lookup_elem(map, key);            \
    if (btc_a_) {                                                      \
      btc_a_->total += btc_x_;                                         \
      btc_a_->count += 1;                                              \
    } else {                                                           \
      struct btc_avg btc_i_ = {btc_x_, 1};                             \
      btc_update_failed(ctx, bpf_map_update_elem(map, key, &btc_i_, BPF_NOEXIST), id); \
    }                                                                  \
  } while (0)

/* signal_name(): strsignal(3)'s text for signals 0..64 (glibc's wording), "N/A" otherwise. */
static const char btc_signal_names[34][32] = {
    "Unknown signal 0", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap",
    "Aborted", "Bus error", "Floating point exception", "Killed", "User defined signal 1",
    "Segmentation fault", "User defined signal 2", "Broken pipe", "Alarm clock", "Terminated",
    "Stack fault", "Child exited", "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)",
    "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded",
    "Virtual timer expired", "Profiling timer expired", "Window changed", "I/O possible", "Power failure",
    "Bad system call", "Unknown signal 32", "Unknown signal 33"};

static __always_inline void btc_signal_name(__s64 sig, char out[BTC_SIGNAL_NAME_SIZE]) {
  if (sig < 0 || sig > 64) {
    __builtin_memcpy(out, "N/A", 4);
  } else if (sig >= 34) { /* the real-time signals: "Real-time signal N" */
    __u64 n = sig - 34;
    __builtin_memcpy(out, "Real-time signal ", 17);
    if (n >= 10) {
      out[17] = '0' + n / 10;
      out[18] = '0' + n % 10;
    } else {
      out[17] = '0' + n;
    }
  } else {
    __u32 i = sig & 63;
    if (i < 34) __builtin_memcpy(out, btc_signal_names[i], 32);
  }
}

/* syscall_name(): the name of x86_64 system call nr (btc_syscall_names.h), "Unknown syscall" when
 * it has none. */
#include "btc_syscall_names.h"

static __always_inline void btc_syscall_name(__s64 nr, char out[BTC_SYSCALL_NAME_SIZE]) {
  __u32 at = 0;
  if (nr >= 0 && nr < BTC_SYSCALL_COUNT) at = btc_syscall_at[nr];
  bpf_probe_read_kernel_str(out, BTC_SYSCALL_NAME_SIZE, btc_syscall_pool + at);
}

/* Syscall tracepoints folded into one raw tracepoint program (compiler/check/syscall_multi.h).
 * sys_enter's arguments are (struct pt_regs *regs, long nr) and sys_exit's (regs, long ret), so
 * at sys_exit the number is regs->orig_ax. index[nr] is the position of the match that call is,
 * plus one; 0 for calls the glob does not match. As with the syscalls tracepoints, calls made in
 * 32-bit mode (regs->cs the 32-bit user code segment) are left out: their numbers are another
 * table's. Offsets are those of x86_64's struct pt_regs, which is part of the user ABI. */
#define BTC_PT_REGS_ORIG_AX 120
#define BTC_PT_REGS_CS 136
#define BTC_USER32_CS 0x23
struct btc_syscall_args {  /* what every syscall tracepoint's record has: args.__syscall_nr, args.ret */
  __s64 __syscall_nr;
  __s64 ret; /* sys_exit only */
};
static __always_inline int btc_syscall_match(__u64 *ctx, int at_exit, const __u16 *index, __u32 n, __u32 *match,
                                             struct btc_syscall_args *args) {
  const char *regs = (const char *)ctx[0];
  __u64 nr = ctx[1], cs = 0;
  if (at_exit && bpf_probe_read_kernel(&nr, sizeof nr, regs + BTC_PT_REGS_ORIG_AX)) return 0;
  __u64 i = nr;
  asm volatile("" : "+r"(i)); /* one register both checked and used, so the verifier keeps its bound */
  if (i >= n) return 0;
  __u16 slot = index[i];
  if (!slot) return 0;
  if (bpf_probe_read_kernel(&cs, sizeof cs, regs + BTC_PT_REGS_CS) || (__u16)cs == BTC_USER32_CS) return 0;
  *match = slot - 1;
  args->__syscall_nr = (__s64)nr;
  args->ret = at_exit ? (__s64)ctx[1] : 0;
  return 1;
}

/* memcmp(): the difference of the first differing bytes (as signed chars) of a and b within n
 * bytes, 0 when they are equal. */
static __always_inline __s32 btc_memcmp(const void *a, const void *b, __u32 n) {
  const __s8 *x = a, *y = b;
  for (__u32 i = 0; i < n; i++)
    if (x[i] != y[i]) return (__s32)x[i] - (__s32)y[i];
  return 0;
}

/* tseries() (abi.h, struct btc_tseries): record x, written at time `now`, in bucket b of epoch `epoch`. */
static __always_inline void btc_tseries_record(struct btc_tseries *b, __s64 x, __u64 now, __u64 epoch, int agg,
                                               int is_signed) {
  if (agg != BTC_TSERIES_LAST && b->epoch != epoch) {
    b->value = 0;
    b->meta = 0;
  }
  if (agg == BTC_TSERIES_AVG) {
    b->value += x;
    b->meta += 1;
  } else if (agg == BTC_TSERIES_SUM) {
    b->value += x;
  } else if (agg == BTC_TSERIES_MIN || agg == BTC_TSERIES_MAX) {
    int less = is_signed ? x < b->value : (__u64)x < (__u64)b->value;
    int greater = is_signed ? x > b->value : (__u64)x > (__u64)b->value;
    if (!b->meta || (agg == BTC_TSERIES_MIN ? less : greater)) b->value = x;
    b->meta = 1;
  } else {
    b->value = x;
    b->meta = now;
  }
  b->epoch = epoch;
}

#define BTC_MAP_TSERIES(map, id, key, val, now, epoch, agg, is_signed)   \
  do {                                                                 \
    struct btc_tseries btc_i_ = {};                                    \
    struct btc_tseries *btc_t_ = bpf_map_lookup_elem(map, key);        \
    int btc_new_ = !btc_t_;                                            \
    if (btc_new_) btc_t_ = &btc_i_;                                    \
    btc_tseries_record(btc_t_, (val), (now), (epoch), (agg), (is_signed)); \
    if (btc_new_) btc_update_failed(ctx, bpf_map_update_elem(map, key, btc_t_, BPF_ANY), id); \
  } while (0)

#ifdef BTC_DW_USTACK
#include "btc_dw_unwind.h" /* dw_ustack's unwinder */
#endif

#endif /* BTC_BPF_H */
