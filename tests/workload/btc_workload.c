/* btc_workload: a deterministic process for end-to-end tests.
 *
 * It performs exactly the system calls and function calls named on its
 * command line, in order, and nothing else that a test script filters on
 * (it is linked statically, so no dynamic loader opens files at start-up,
 * and it prints nothing unless it fails).
 *
 *   btc_workload [--wait-file PATH] [--wait-signal] ACTION...
 *
 * Actions (several may follow each other):
 *   open PATH N       openat(AT_FDCWD, PATH, O_RDONLY) N times (closing each fd)
 *   mkfile PATH       create an empty regular file with mknodat (no openat)
 *   unlink PATH       remove PATH (a missing PATH is not an error)
 *   getpid N          syscall(SYS_getpid) N times
 *   rename NAME       prctl(PR_SET_NAME, NAME): the thread's comm becomes NAME (cut to 15 bytes)
 *   write N SIZE      write SIZE bytes to /dev/null N times
 *   read N SIZE       read SIZE bytes from /dev/zero N times
 *   sleep MS          sleep MS milliseconds
 *   uprobe N A B      call btc_wl_add(A, B) N times
 *   usdt N A          fire the USDT probe btc_wl:tick(i, A) for i = 0..N-1
 *   usdtpair N A      for i = 0..N-1 fire btc_wl:ping(i, A), then btc_wl_more:ping(i, -A, 7)
 *                     (one name under two providers; the last argument a constant)
 *   strcall S N       call btc_wl_str(S) N times
 *   cxxcall N         call btc_wl::scale(i) (symbol _ZN6btc_wl5scaleEi) N times
 *   poke N            map a page at 0x10000000 (BTC_WL_POKE_ADDR), then store to its first
 *                     8 bytes N times and load them N times (watchpoint tests)
 *   jump N            map a page at 0x10000000 holding one `ret` instruction and call it N times
 *                     (execution breakpoint tests; x86-64)
 *   structcall N      call btc_record_arg(&s) N times, s a struct btc_wl_record whose id is
 *                     the call's index (the other members are fixed, see do_structcall)
 *   tcpconnect N      N times: a TCP socket connects to 127.0.0.1 port 1 (refused: the socket
 *                     goes CLOSE -> SYN_SENT -> CLOSE) and is closed
 *
 * --wait-file PATH   block (polling every 2 ms, at most 60 s) until PATH exists
 * --wait-signal      block until SIGUSR1 arrives (at most 60 s)
 * Both let a test start the workload first and release it once the tracer
 * has attached. Exit status: 0 on success, 2 on bad usage, 3 when a wait
 * timed out, 1 when a requested system call failed unexpectedly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WAIT_LIMIT_MS 60000

/* The uprobe targets. noinline + used keeps a real, exported symbol whose
 * arguments arrive in the ABI registers; the volatile sink keeps the calls. */
__attribute__((noinline, used)) int btc_wl_add(int a, int b) {
  __asm__ volatile("" ::: "memory");
  return a + b;
}

__attribute__((noinline, used)) int btc_wl_str(const char *s) {
  __asm__ volatile("" ::: "memory");
  return (int)strlen(s);
}

/* A function whose symbol is the C++ mangled name of btc_wl::scale(int), for demangling tests
 * (the workload is C; the asm label gives the symbol a C++ name). */
__attribute__((noinline, used)) int btc_wl_scale(int x) __asm__("_ZN6btc_wl5scaleEi");
__attribute__((noinline, used)) int btc_wl_scale(int x) {
  __asm__ volatile("" ::: "memory");
  return 2 * x;
}

/* A record with nested, array, pointer and bitfield members for struct-access tests. Its
 * function is not named btc_wl_* so the uprobe wildcard test does not match it. */
struct btc_wl_inner {
  int a;
  short b;
};

struct btc_wl_record {
  int id;
  char name[8];
  struct btc_wl_inner in;
  int arr[4];
  struct btc_wl_inner *next;
  unsigned int lo : 3, hi : 5;
};

__attribute__((noinline, used)) int btc_record_arg(struct btc_wl_record *r) {
  __asm__ volatile("" ::: "memory");
  return r->id;
}

static volatile long sink;

static void die_usage(const char *msg) {
  fprintf(stderr, "btc_workload: %s\n", msg);
  fprintf(stderr,
          "usage: btc_workload [--wait-file PATH] [--wait-signal] ACTION...\n"
          "actions: open PATH N | mkfile PATH | unlink PATH | getpid N | write N SIZE | read N SIZE |\n"
          "         sleep MS | uprobe N A B | strcall S N | structcall N | usdt N A | usdtpair N A\n");
  exit(2);
}

static long parse_num(const char *s) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 0);
  if (errno || *end || end == s) die_usage("expected a number");
  return v;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

static void wait_for_file(const char *path) {
  for (long waited = 0; waited < WAIT_LIMIT_MS; waited += 2) {
    if (access(path, F_OK) == 0) return;
    sleep_ms(2);
  }
  fprintf(stderr, "btc_workload: timed out waiting for %s\n", path);
  exit(3);
}

static void wait_for_signal(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  struct timespec limit = {WAIT_LIMIT_MS / 1000, 0};
  if (sigtimedwait(&set, NULL, &limit) != SIGUSR1) {
    fprintf(stderr, "btc_workload: timed out waiting for SIGUSR1\n");
    exit(3);
  }
}

static void do_open(const char *path, long n) {
  for (long i = 0; i < n; i++) {
    int fd = openat(AT_FDCWD, path, O_RDONLY);
    if (fd >= 0) close(fd);
  }
}

static void do_mkfile(const char *path) {
  if (mknodat(AT_FDCWD, path, S_IFREG | 0644, 0) == -1 && errno != EEXIST) {
    perror("btc_workload: mknodat");
    exit(1);
  }
}

static void do_unlink(const char *path) {
  if (unlinkat(AT_FDCWD, path, 0) == -1 && errno != ENOENT) {
    perror("btc_workload: unlinkat");
    exit(1);
  }
}

static void do_getpid(long n) {
  for (long i = 0; i < n; i++) sink += syscall(SYS_getpid);
}

/* Reads or writes n blocks of size bytes on a device opened once. */
static void do_io(const char *device, int is_write, long n, long size) {
  if (size < 0 || size > (1L << 24)) die_usage("SIZE out of range");
  char *buf = calloc(1, size ? size : 1);
  int fd = openat(AT_FDCWD, device, is_write ? O_WRONLY : O_RDONLY);
  if (!buf || fd < 0) {
    perror("btc_workload: open device");
    exit(1);
  }
  for (long i = 0; i < n; i++) {
    ssize_t r = is_write ? write(fd, buf, size) : read(fd, buf, size);
    if (r != size) {
      perror("btc_workload: io");
      exit(1);
    }
  }
  close(fd);
  free(buf);
}

static void do_tcpconnect(long n) {
  for (long i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(1), .sin_addr = {htonl(INADDR_LOOPBACK)}};
    if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) == 0 || errno != ECONNREFUSED) {
      perror("btc_workload: tcpconnect");
      exit(1);
    }
    close(fd);
  }
}

static void do_uprobe(long n, long a, long b) {
  for (long i = 0; i < n; i++) sink += btc_wl_add((int)a, (int)b);
}

static void do_structcall(long n) {
  struct btc_wl_inner other = {100, 200};
  for (long i = 0; i < n; i++) {
    struct btc_wl_record r = {(int)i, "wl", {7, -2}, {10, 20, 30, 40}, &other, 5, 17};
    sink += btc_record_arg(&r);
  }
}

static void do_strcall(const char *s, long n) {
  for (long i = 0; i < n; i++) sink += btc_wl_str(s);
}

/* USDT probe btc_wl:tick(i, a) with a semaphore-free note (sys/sdt.h from systemtap-sdt-dev). */
#if __has_include(<sys/sdt.h>)
#include <sys/sdt.h>
#define BTC_WL_USDT(i, a) DTRACE_PROBE2(btc_wl, tick, i, a)
#define BTC_WL_USDT_PING(i, a) DTRACE_PROBE2(btc_wl, ping, i, a)
#define BTC_WL_USDT_MORE_PING(i, a) DTRACE_PROBE3(btc_wl_more, ping, i, a, 7)
#else
#error "tests/workload needs <sys/sdt.h> (Debian package systemtap-sdt-dev, installed by scripts/deps.sh)"
#endif

static void do_usdt(long n, long a) {
  for (long i = 0; i < n; i++) {
    BTC_WL_USDT(i, a);
    sink += i;
  }
}

static void do_usdtpair(long n, long a) {
  for (long i = 0; i < n; i++) {
    BTC_WL_USDT_PING(i, a);
    BTC_WL_USDT_MORE_PING(i, -a);
    sink += i;
  }
}

#define BTC_WL_POKE_ADDR 0x10000000UL

static void do_poke(long n) {
  void *page = mmap((void *)BTC_WL_POKE_ADDR, 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (page != (void *)BTC_WL_POKE_ADDR) {
    perror("btc_workload: mmap 0x10000000");
    exit(1);
  }
  volatile unsigned long *word = (volatile unsigned long *)page;
  for (long i = 0; i < n; i++) *word = (unsigned long)i;
  for (long i = 0; i < n; i++) sink += *word;
  munmap(page, 4096);
}

static void do_jump(long n) {
  unsigned char *page = mmap((void *)BTC_WL_POKE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (page != (unsigned char *)BTC_WL_POKE_ADDR) {
    perror("btc_workload: mmap 0x10000000");
    exit(1);
  }
  page[0] = 0xc3; /* ret */
  void (*volatile fn)(void) = (void (*)(void))page;
  for (long i = 0; i < n; i++) fn();
  munmap(page, 4096);
}

/* Returns how many arguments the action at argv[0] consumed (incl. its name). */
static int run_action(int argc, char **argv) {
  const char *name = argv[0];
#define NEED(k)                                        \
  do {                                                 \
    if (argc < (k) + 1) die_usage("missing argument"); \
  } while (0)
  if (!strcmp(name, "open")) {
    NEED(2);
    do_open(argv[1], parse_num(argv[2]));
    return 3;
  }
  if (!strcmp(name, "mkfile")) {
    NEED(1);
    do_mkfile(argv[1]);
    return 2;
  }
  if (!strcmp(name, "structcall")) {
    NEED(1);
    do_structcall(parse_num(argv[1]));
    return 2;
  }
  if (!strcmp(name, "unlink")) {
    NEED(1);
    do_unlink(argv[1]);
    return 2;
  }
  if (!strcmp(name, "rename")) {
    NEED(1);
    if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) != 0) {
      perror("btc_workload: prctl(PR_SET_NAME)");
      exit(1);
    }
    return 2;
  }
  if (!strcmp(name, "getpid")) {
    NEED(1);
    do_getpid(parse_num(argv[1]));
    return 2;
  }
  if (!strcmp(name, "write") || !strcmp(name, "read")) {
    NEED(2);
    int is_write = name[0] == 'w';
    do_io(is_write ? "/dev/null" : "/dev/zero", is_write, parse_num(argv[1]), parse_num(argv[2]));
    return 3;
  }
  if (!strcmp(name, "sleep")) {
    NEED(1);
    sleep_ms(parse_num(argv[1]));
    return 2;
  }
  if (!strcmp(name, "uprobe")) {
    NEED(3);
    do_uprobe(parse_num(argv[1]), parse_num(argv[2]), parse_num(argv[3]));
    return 4;
  }
  if (!strcmp(name, "tcpconnect")) {
    NEED(1);
    do_tcpconnect(parse_num(argv[1]));
    return 2;
  }
  if (!strcmp(name, "usdt")) {
    NEED(2);
    do_usdt(parse_num(argv[1]), parse_num(argv[2]));
    return 3;
  }
  if (!strcmp(name, "usdtpair")) {
    NEED(2);
    do_usdtpair(parse_num(argv[1]), parse_num(argv[2]));
    return 3;
  }
  if (!strcmp(name, "strcall")) {
    NEED(2);
    do_strcall(argv[1], parse_num(argv[2]));
    return 3;
  }
  if (!strcmp(name, "poke")) {
    NEED(1);
    do_poke(parse_num(argv[1]));
    return 2;
  }
  if (!strcmp(name, "jump")) {
    NEED(1);
    do_jump(parse_num(argv[1]));
    return 2;
  }
  if (!strcmp(name, "cxxcall")) {
    NEED(1);
    for (long i = 0, n = parse_num(argv[1]); i < n; i++) sink += btc_wl_scale((int)i);
    return 2;
  }
#undef NEED
  die_usage("unknown action");
  return 0;
}

int main(int argc, char **argv) {
  int i = 1;
  /* Block SIGUSR1 before anything else so a signal sent early is not lost. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);

  for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
    if (!strcmp(argv[i], "--wait-file") && i + 1 < argc) {
      wait_for_file(argv[++i]);
    } else if (!strcmp(argv[i], "--wait-signal")) {
      wait_for_signal();
    } else {
      die_usage("unknown option");
    }
  }
  if (i == argc) die_usage("no action given");
  while (i < argc) i += run_action(argc - i, argv + i);
  return 0;
}
