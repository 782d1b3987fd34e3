// launch: runs one tracing tool under observation and prints one JSON line.
//
//   launch [options] -- TOOL [ARG...]
//     --out FILE        the tool's stdout (default /dev/null)
//     --err FILE        copy of the tool's stderr (default: discarded)
//     --marker TEXT     a stderr line containing TEXT means "attached"
//     --quiet-ms N      without --marker: attached once an attach call was seen
//                       and none followed for N ms (default 150)
//     --settle-ms N     once attached, wait N ms, then sample VmRSS (default 0)
//     --workload CMD    once settled, run CMD (through /bin/sh) and wait for it
//     --drain-ms N      after the workload, wait until --out stops growing for N ms
//     --stop            then send SIGINT (otherwise wait for the tool to exit)
//     --timeout-ms N    kill the tool after N ms (default 60000)
//     --cpu N           pin the tool to CPU N (the workload is pinned by its command)
//   launch --batch
//     reads one run per stdin line (the arguments above, separated by tabs) and
//     answers each with its JSON line, so that the watcher is loaded only once:
//     detaching a tracepoint waits for an RCU grace period (tens of ms here).
//
// The tool runs in its own process group; after it exits, launch waits until
// the group is empty (a tool may leave a child behind to finish its teardown),
// so that the next run starts on a quiet kernel ("group_exit_ms").
// All times are CLOCK_MONOTONIC and relative to the tool's exec(), which, like
// every attach call the tool makes, is seen by BPF programs (launch.bpf.c).
// Peak RSS is wait4()'s ru_maxrss, the number `/usr/bin/time -f %M` prints.
// Before the stop, the run time and count of each of the tool's BPF programs
// are read from /proc/PID/fdinfo (needs kernel.bpf_stats_enabled=1).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.skel.h"

struct options {
  const char *out, *err, *marker, *workload;
  int quiet_ms, settle_ms, drain_ms, timeout_ms, stop, cpu;
  char **argv;
};

struct run {
  pid_t pid;
  int err_fd;  // read end of the tool's stderr; -1 once closed
  FILE *err_copy;
  char line[4096];
  size_t line_len;
  double marker_ns;  // 0 until the marker line is read
  int exited, status;
  struct rusage usage;
  double exit_ns;
};

static struct launch_bpf *watch;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double ms_since_exec(double t) { return t > 0 ? (t - (double)watch->bss->exec_ns) / 1e6 : -1; }

static void die(const char *what) {
  fprintf(stderr, "launch: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void parse_options(int argc, char **argv, struct options *o) {
  static const struct option longs[] = {{"out", required_argument, 0, 'o'},
                                        {"err", required_argument, 0, 'e'},
                                        {"marker", required_argument, 0, 'm'},
                                        {"quiet-ms", required_argument, 0, 'q'},
                                        {"settle-ms", required_argument, 0, 's'},
                                        {"workload", required_argument, 0, 'w'},
                                        {"drain-ms", required_argument, 0, 'd'},
                                        {"stop", no_argument, 0, 'S'},
                                        {"timeout-ms", required_argument, 0, 't'},
                                        {"cpu", required_argument, 0, 'c'},
                                        {0, 0, 0, 0}};
  *o = (struct options){.out = "/dev/null", .quiet_ms = 150, .timeout_ms = 60000, .cpu = -1};
  int c;
  optind = 0;  // GNU getopt: start over (batch mode parses many argument lists)
  while ((c = getopt_long(argc, argv, "+", longs, 0)) != -1) {
    switch (c) {
      case 'o':
        o->out = optarg;
        break;
      case 'e':
        o->err = optarg;
        break;
      case 'm':
        o->marker = optarg;
        break;
      case 'q':
        o->quiet_ms = atoi(optarg);
        break;
      case 's':
        o->settle_ms = atoi(optarg);
        break;
      case 'w':
        o->workload = optarg;
        break;
      case 'd':
        o->drain_ms = atoi(optarg);
        break;
      case 'S':
        o->stop = 1;
        break;
      case 't':
        o->timeout_ms = atoi(optarg);
        break;
      case 'c':
        o->cpu = atoi(optarg);
        break;
      default:
        exit(2);
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "usage: launch [options] -- TOOL [ARG...] | launch --batch\n");
    exit(2);
  }
  o->argv = argv + optind;
}

// Forks the tool, stopped on a pipe until its pid is in the BPF filter.
static void start_tool(const struct options *o, struct run *r) {
  int err_pipe[2], go_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) || pipe2(go_pipe, O_CLOEXEC)) die("pipe");
  int out_fd = open(o->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0) die(o->out);
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    char go;
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // do not outlive an interrupted benchmark
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    if (o->cpu >= 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(o->cpu, &set);
      sched_setaffinity(0, sizeof(set), &set);
    }
    if (read(go_pipe[0], &go, 1) != 1) _exit(126);
    execvp(o->argv[0], o->argv);
    _exit(127);
  }
  close(out_fd);
  close(err_pipe[1]);
  close(go_pipe[0]);
  watch->bss->target_tgid = pid;
  if (write(go_pipe[1], "g", 1) != 1) die("write");
  close(go_pipe[1]);
  r->pid = pid;
  r->err_fd = err_pipe[0];
}

static void take_line(const struct options *o, struct run *r) {
  r->line[r->line_len] = 0;
  if (o->marker && !r->marker_ns && strstr(r->line, o->marker)) r->marker_ns = now_ns();
  r->line_len = 0;
}

// Reads the tool's stderr for up to `ms` milliseconds (or until it closes).
static void pump_stderr(const struct options *o, struct run *r, int ms) {
  if (r->err_fd < 0) {
    if (ms > 0) poll(NULL, 0, ms);
    return;
  }
  struct pollfd p = {.fd = r->err_fd, .events = POLLIN};
  if (poll(&p, 1, ms) <= 0) return;
  char buf[4096];
  ssize_t n = read(r->err_fd, buf, sizeof(buf));
  if (n <= 0) {
    close(r->err_fd);
    r->err_fd = -1;
    return;
  }
  if (r->err_copy) fwrite(buf, 1, n, r->err_copy);
  for (ssize_t i = 0; i < n; i++) {
    if (buf[i] == '\n' || r->line_len == sizeof(r->line) - 1)
      take_line(o, r);
    else
      r->line[r->line_len++] = buf[i];
  }
}

static int reap(struct run *r, int options) {
  if (r->exited) return 1;
  pid_t got = wait4(r->pid, &r->status, options, &r->usage);
  if (got != r->pid) return 0;
  r->exit_ns = now_ns();
  r->exited = 1;
  return 1;
}

static int attached(const struct options *o, const struct run *r) {
  if (o->marker) return r->marker_ns > 0;
  __u64 last = watch->bss->last_attach_ns;
  return last && now_ns() - (double)last > o->quiet_ms * 1e6;
}

static long vm_rss_kb(pid_t pid) {
  char path[64], line[256];
  snprintf(path, sizeof(path), "/proc/%d/status", pid);
  FILE *f = fopen(path, "re");
  if (!f) return -1;
  long kb = -1;
  while (fgets(line, sizeof(line), f))
    if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
  fclose(f);
  return kb;
}

// Whether a process of group `pgid` is still running (zombies do not count:
// an orphan is reaped by init whenever init gets to it).
static int group_alive(pid_t pgid) {
  if (kill(-pgid, 0) != 0) return 0;
  DIR *proc = opendir("/proc");
  if (!proc) return 0;
  int alive = 0;
  struct dirent *e;
  while (!alive && (e = readdir(proc))) {
    char path[300], buf[512];
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
    FILE *f = fopen(path, "re");
    if (!f) continue;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    char *after_comm = strrchr(buf, ')');
    char state;
    int ppid, pgrp;
    if (after_comm && sscanf(after_comm + 1, " %c %d %d", &state, &ppid, &pgrp) == 3)
      alive = pgrp == pgid && state != 'Z';
  }
  closedir(proc);
  return alive;
}

static off_t file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_size : -1;
}

// Runs the workload through the shell, capturing its one-line report.
static void run_workload(const struct options *o, struct run *r, char *report, size_t size) {
  int out[2];
  if (pipe2(out, O_CLOEXEC)) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    execl("/bin/sh", "sh", "-c", o->workload, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  size_t len = 0;
  for (;;) {
    struct pollfd p[2] = {{.fd = out[0], .events = POLLIN}, {.fd = r->err_fd, .events = POLLIN}};
    if (poll(p, r->err_fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR) die("poll");
    if (p[1].revents) pump_stderr(o, r, 0);
    if (!p[0].revents) continue;
    ssize_t n = read(out[0], report + len, size - 1 - len);
    if (n <= 0) break;
    len += n;
  }
  report[len] = 0;
  if (len && report[len - 1] == '\n') report[len - 1] = 0;
  close(out[0]);
  waitpid(pid, NULL, 0);
}

// Waits until the tool's output file has not grown for `quiet_ms`.
static void drain_output(const struct options *o, struct run *r) {
  off_t last = file_size(o->out);
  double since = now_ns();
  while (now_ns() - since < o->drain_ms * 1e6 && !reap(r, WNOHANG)) {
    pump_stderr(o, r, 10);
    off_t size = file_size(o->out);
    if (size != last) {
      last = size;
      since = now_ns();
    }
  }
}

// The tool's BPF programs with their statistics, as a JSON array.
static void print_prog_stats(pid_t pid) {
  char dir_path[64];
  snprintf(dir_path, sizeof(dir_path), "/proc/%d/fd", pid);
  DIR *dir = opendir(dir_path);
  printf("[");
  if (!dir) {
    printf("]");
    return;
  }
  unsigned seen[256];
  int nseen = 0;
  struct dirent *e;
  while ((e = readdir(dir))) {
    char link_path[384], target[64], info_path[384], line[256];
    snprintf(link_path, sizeof(link_path), "%s/%s", dir_path, e->d_name);
    ssize_t n = readlink(link_path, target, sizeof(target) - 1);
    if (n <= 0) continue;
    target[n] = 0;
    if (strcmp(target, "anon_inode:bpf-prog") != 0) continue;
    snprintf(info_path, sizeof(info_path), "/proc/%d/fdinfo/%s", pid, e->d_name);
    FILE *f = fopen(info_path, "re");
    if (!f) continue;
    unsigned type = 0, id = 0;
    unsigned long long run_ns = 0, run_cnt = 0;
    while (fgets(line, sizeof(line), f)) {
      sscanf(line, "prog_type: %u", &type);
      sscanf(line, "prog_id: %u", &id);
      sscanf(line, "run_time_ns: %llu", &run_ns);
      sscanf(line, "run_cnt: %llu", &run_cnt);
    }
    fclose(f);
    int dup = 0;
    for (int i = 0; i < nseen; i++) dup |= seen[i] == id;
    if (dup || nseen == 256) continue;
    seen[nseen++] = id;
    printf("%s{\"id\":%u,\"type\":%u,\"run_ns\":%llu,\"run_cnt\":%llu}", nseen > 1 ? "," : "", id, type, run_ns,
           run_cnt);
  }
  closedir(dir);
  printf("]");
}

static void json_escape(const char *s) {
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      printf("\\%c", *s);
    else if ((unsigned char)*s >= 0x20)
      putchar(*s);
  }
}

static void reset_watch(void) {
  struct launch_bpf__bss *b = watch->bss;
  b->target_tgid = 0;
  b->exec_ns = b->first_attach_ns = b->last_attach_ns = 0;
  b->nattach = 0;
}

static void run_one(int argc, char **argv) {
  struct options o;
  parse_options(argc, argv, &o);
  reset_watch();

  struct run r = {.err_fd = -1};
  if (o.err && !(r.err_copy = fopen(o.err, "we"))) die(o.err);
  double start = now_ns();
  start_tool(&o, &r);
  double deadline = start + o.timeout_ms * 1e6;
  int timed_out = 0;

  // 1. until attached (or exited)
  while (!attached(&o, &r) && !reap(&r, WNOHANG)) {
    if (now_ns() > deadline) {
      timed_out = 1;
      break;
    }
    pump_stderr(&o, &r, 5);
  }
  double ready_ns = now_ns();

  // 2. settle, sample RSS, run the workload, let the output drain
  long settled_kb = -1;
  char report[512] = "";
  if (!r.exited && !timed_out) {
    double until = ready_ns + o.settle_ms * 1e6;
    while (now_ns() < until && !reap(&r, WNOHANG)) pump_stderr(&o, &r, 5);
    if (!r.exited) settled_kb = vm_rss_kb(r.pid);
    if (o.workload && !r.exited) run_workload(&o, &r, report, sizeof(report));
    if (o.drain_ms) drain_output(&o, &r);
  }

  // 3. program statistics while the programs are still loaded
  printf("{\"progs\":");
  if (!r.exited)
    print_prog_stats(r.pid);
  else
    printf("[]");

  // 4. stop (or wait), then reap
  if (o.stop && !r.exited) kill(r.pid, SIGINT);
  while (!reap(&r, WNOHANG)) {
    if (now_ns() > deadline && !timed_out) {
      timed_out = 1;
      kill(r.pid, SIGKILL);
    }
    pump_stderr(&o, &r, 5);
  }
  while (r.err_fd >= 0) pump_stderr(&o, &r, 100);
  if (r.err_copy) fclose(r.err_copy);
  double group_gone = now_ns();
  while (group_alive(r.pid) && now_ns() - group_gone < 3e9) poll(NULL, 0, 1);
  group_gone = now_ns();

  const struct launch_bpf__bss *b = watch->bss;
  printf(",\"exec_ms\":%.3f", b->exec_ns ? ((double)b->exec_ns - start) / 1e6 : -1.0);
  printf(",\"marker_ms\":%.3f", ms_since_exec(r.marker_ns));
  printf(",\"first_attach_ms\":%.3f", ms_since_exec((double)b->first_attach_ns));
  printf(",\"last_attach_ms\":%.3f", ms_since_exec((double)b->last_attach_ns));
  printf(",\"nattach\":%u", b->nattach);
  printf(",\"exit_ms\":%.3f", ms_since_exec(r.exit_ns));
  printf(",\"group_exit_ms\":%.3f", ms_since_exec(group_gone));
  printf(",\"maxrss_kb\":%ld,\"settled_rss_kb\":%ld", r.usage.ru_maxrss, settled_kb);
  printf(",\"status\":%d,\"timed_out\":%d", WIFEXITED(r.status) ? WEXITSTATUS(r.status) : 128 + WTERMSIG(r.status),
         timed_out);
  printf(",\"workload\":\"");
  json_escape(report);
  printf("\"}\n");
  fflush(stdout);
}

// One line of --batch input, split on tabs into argv (argv[0] = "launch").
static int split_line(char *line, char **argv, int max) {
  int argc = 0;
  argv[argc++] = "launch";
  line[strcspn(line, "\n")] = 0;
  for (char *save = NULL, *tok = strtok_r(line, "\t", &save); tok && argc < max - 1; tok = strtok_r(NULL, "\t", &save))
    argv[argc++] = tok;
  argv[argc] = NULL;
  return argc;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  watch = launch_bpf__open_and_load();
  if (!watch || launch_bpf__attach(watch)) die("loading the attach watcher");
  if (argc == 2 && strcmp(argv[1], "--batch") == 0) {
    char line[8192], *args[256];
    while (fgets(line, sizeof(line), stdin)) {
      int n = split_line(line, args, 256);
      if (n > 1) run_one(n, args);
    }
  } else {
    run_one(argc, argv);
  }
  launch_bpf__destroy(watch);
  return 0;
}
