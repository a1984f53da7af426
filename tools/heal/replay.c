/* Replaying inputs and running regression commands (see replay.h).
 *
 * One engine serves every kind of run: fork/exec the program in its own process group,
 * capture stdout/stderr through non-blocking pipes, watch the child with a pidfd, and
 * poll all of them (plus the TCP socket for servers) against one deadline. A child that
 * outlives the deadline is a finding (HEAL_RUN_TIMEOUT), so heal itself never hangs. */
#define _GNU_SOURCE
#include "replay.h"

#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <gelf.h>
#include <libelf.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* After SIGTERM, how long a process group gets before SIGKILL. */
#define TERM_GRACE 0.5
/* After a server closed the connection: how long to wait (by default) for it to exit
 * before asking the kernel whether it is exiting. A crash closes the socket from do_exit,
 * which has set PF_EXITING before it closes any file, so a server seen closing by its
 * death is either gone already or flagged; one that answered and closed is neither. */
#define SETTLE 0.005
#define PF_EXITING_FLAG 0x4u /* PF_EXITING, in the flags field of /proc/PID/stat */
/* After the program exited: how long its stdout/stderr may stay open (descendants). */
#define DRAIN 0.2

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ms_until(double deadline) {
  double d = deadline - now();
  if (d <= 0)
    return 0;
  return d > 1e6 ? 1000000000 : (int)(d * 1000.0) + 1;
}

/* ---- bounded capture ----------------------------------------------------------------- */

struct sink {
  char *buf;
  size_t len;
  int cut;
};

static void sink_add(struct sink *s, const char *d, size_t n) {
  if (!s->buf) {
    s->buf = heal_xmalloc(1);
    s->buf[0] = 0;
  }
  size_t room = HEAL_REPLAY_MAX_OUTPUT - s->len;
  if (n > room) {
    n = room;
    s->cut = 1;
  }
  if (!n)
    return;
  s->buf = heal_xrealloc(s->buf, s->len + n + 1);
  memcpy(s->buf + s->len, d, n);
  s->len += n;
  s->buf[s->len] = 0;
}

/* Reads what fd has; returns 1 at EOF or error (fd closed and set to -1), else 0. */
static int pump(int *fd, struct sink *s) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n > 0) {
      sink_add(s, buf, (size_t)n);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return 0;
    close(*fd);
    *fd = -1;
    return 1;
  }
}

/* ---- the child ------------------------------------------------------------------------- */

struct child {
  pid_t pid;
  int pidfd;        /* -1 when pidfd_open is unavailable (then waitpid polling) */
  int out, err;     /* pipe read ends, -1 once closed */
  int exited;       /* reaped */
  int wstatus;
  struct sink sout, serr;
};

char *heal_subst_port(const char *s, int port) {
  const char *p = port ? strstr(s, HEAL_PORT_TOKEN) : NULL;
  if (!p)
    return heal_xstrdup(s);
  char *rest = heal_subst_port(p + strlen(HEAL_PORT_TOKEN), port);
  char *r = heal_xasprintf("%.*s%d%s", (int)(p - s), s, port, rest);
  free(rest);
  return r;
}

/* environ without the variables heal sets, then ours, then the caller's extras. */
/* The name part of "NAME=VALUE", with its '=' (length). */
static size_t name_len(const char *e) {
  const char *eq = strchr(e, '=');
  return eq ? (size_t)(eq - e) + 1 : strlen(e);
}

static int names_var(char *const *list, const char *e) {
  for (size_t i = 0; list && list[i]; i++)
    if (name_len(list[i]) == name_len(e) && !strncmp(list[i], e, name_len(e)))
      return 1;
  return 0;
}

/* heal's environment: ours, then the extras, then what heal inherited, with each name
 * once (getenv takes the first, so an extra must replace an inherited value, not follow
 * it). */
void heal_replay_env(struct strv *env, const char *binary, const char *report_dir, int port,
                     char *const *extra, int exact_heap) {
  static const char *const ours[] = {"HEAL_REPORT_DIR=", "HEAL_BINARY=", "HEAL_PORT="};
  static const char exact[] = "HEAL_ORACLE_PROTECT_EVERY=1";
  strv_pushf(env, "HEAL_REPORT_DIR=%s", report_dir);
  strv_pushf(env, "HEAL_BINARY=%s", binary);
  if (port)
    strv_pushf(env, "HEAL_PORT=%d", port);
  for (size_t i = 0; extra && extra[i]; i++)
    strv_adopt(env, heal_subst_port(extra[i], port));
  if (exact_heap && !names_var(extra, exact) && !getenv("HEAL_ORACLE_PROTECT_EVERY"))
    strv_push(env, exact);
  for (char **e = environ; *e; e++) {
    int skip = names_var(extra, *e);
    for (size_t i = 0; i < sizeof ours / sizeof *ours; i++)
      skip |= !strncmp(*e, ours[i], strlen(ours[i]));
    if (!skip)
      strv_push(env, *e);
  }
}

/* Starts argv. stdin_path NULL means /dev/null. Returns 0, or -1 with *error set. */
static int start(struct child *c, char *const *argv, char *const *envp, const char *stdin_path,
                 const char *cwd, char **error) {
  memset(c, 0, sizeof *c);
  c->pidfd = c->out = c->err = -1;
  int po[2], pe[2], ps[2];
  if (pipe2(po, O_CLOEXEC) != 0)
    goto fail_errno;
  if (pipe2(pe, O_CLOEXEC) != 0) {
    close(po[0]), close(po[1]);
    goto fail_errno;
  }
  if (pipe2(ps, O_CLOEXEC) != 0) { /* exec status: the child writes errno if exec fails */
    close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
    goto fail_errno;
  }
  int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    *error = heal_xasprintf("cannot open '%s': %s", stdin_path ? stdin_path : "/dev/null",
                            strerror(errno));
    close(po[0]), close(po[1]), close(pe[0]), close(pe[1]), close(ps[0]), close(ps[1]);
    return -1;
  }
  pid_t parent = getpid();
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(in), close(po[0]), close(po[1]), close(pe[0]), close(pe[1]), close(ps[0]), close(ps[1]);
    errno = e;
    goto fail_errno;
  }
  if (pid == 0) {
    /* Own process group, so a timeout stops the program and everything it started; dies
     * with heal, so an interrupted heal leaves no server behind. */
    heal_child_setup(parent);
    if (dup2(in, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
      goto child_fail;
    if (cwd && chdir(cwd) != 0)
      goto child_fail;
    execve(argv[0], argv, envp);
  child_fail:;
    int e = errno;
    ssize_t w = write(ps[1], &e, sizeof e);
    (void)w;
    _exit(127);
  }
  setpgid(pid, pid); /* also here: no window where a kill of the group misses it */
  close(in), close(po[1]), close(pe[1]), close(ps[1]);
  int e = 0;
  ssize_t n;
  do
    n = read(ps[0], &e, sizeof e);
  while (n < 0 && errno == EINTR);
  close(ps[0]);
  c->pid = pid;
  c->out = po[0];
  c->err = pe[0];
  fcntl(c->out, F_SETFL, O_NONBLOCK);
  fcntl(c->err, F_SETFL, O_NONBLOCK);
  c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (n == (ssize_t)sizeof e) {
    int st;
    waitpid(pid, &st, 0);
    close(c->out), close(c->err);
    if (c->pidfd >= 0)
      close(c->pidfd);
    c->out = c->err = c->pidfd = -1;
    c->exited = 1;
    *error = heal_xasprintf("cannot run '%s': %s", argv[0], strerror(e));
    return -1;
  }
  return 0;
fail_errno:
  *error = heal_xasprintf("cannot start '%s': %s", argv[0], strerror(errno));
  return -1;
}

/* Whether the child has exited (not yet reaped: its pid, and so its process group id, stay
 * reserved while it is a zombie). */
static int dead(struct child *c) {
  if (c->exited)
    return 1;
  siginfo_t si;
  memset(&si, 0, sizeof si);
  if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
    return errno == ECHILD;
  return si.si_pid == c->pid;
}

/* Whether the kernel is tearing pid down (PF_EXITING in /proc/PID/stat). */
int heal_pid_exiting(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 1; /* gone */
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return 1;
  buf[n] = 0;
  /* pid (comm) state ppid pgrp session tty_nr tpgid flags: comm may hold spaces and
   * parentheses, so fields are counted from the last ')'. */
  char *p = strrchr(buf, ')');
  unsigned long flags = 0;
  if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
    return 0;
  return (flags & PF_EXITING_FLAG) != 0;
}

/* Polls the child's pipes, its pidfd and extra (if >= 0, for POLLIN) until something
 * happens or deadline; returns the revents of extra. */
static short wait_some(struct child *c, int extra, short extra_events, double deadline) {
  struct pollfd p[4];
  int n = 0, ix = -1;
  if (c->out >= 0)
    p[n++] = (struct pollfd){c->out, POLLIN, 0};
  if (c->err >= 0)
    p[n++] = (struct pollfd){c->err, POLLIN, 0};
  if (!c->exited && c->pidfd >= 0)
    p[n++] = (struct pollfd){c->pidfd, POLLIN, 0};
  if (extra >= 0) {
    ix = n;
    p[n++] = (struct pollfd){extra, extra_events, 0};
  }
  int ms = ms_until(deadline);
  /* Without a pidfd the child's exit is only seen by polling waitpid. */
  if (!c->exited && c->pidfd < 0 && ms > 10)
    ms = 10;
  if (n == 0) {
    if (ms > 0)
      poll(NULL, 0, ms);
    return 0;
  }
  int r = poll(p, (nfds_t)n, ms);
  if (r <= 0)
    return 0;
  for (int i = 0; i < n; i++) {
    if (!p[i].revents || i == ix)
      continue;
    if (p[i].fd == c->out)
      pump(&c->out, &c->sout);
    else if (p[i].fd == c->err)
      pump(&c->err, &c->serr);
  }
  return ix >= 0 ? p[ix].revents : 0;
}

/* Ends the run: kills what is left of the process group, drains the pipes, reaps. With
 * term, the group first gets SIGTERM and TERM_GRACE to exit. */
static void finish(struct child *c, int term) {
  if (term && !dead(c)) {
    kill(-c->pid, SIGTERM);
    double until = now() + TERM_GRACE;
    while (!dead(c) && now() < until)
      wait_some(c, -1, 0, until);
  }
  /* The leader's zombie keeps the group id reserved, so this reaches only our processes. */
  if (!c->exited)
    kill(-c->pid, SIGKILL);
  if (!c->exited) {
    int st = 0; /* stays 0 if the child was reaped elsewhere (SIGCHLD ignored) */
    while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
      ;
    c->exited = 1;
    c->wstatus = st;
  }
  double until = now() + DRAIN;
  while ((c->out >= 0 || c->err >= 0) && now() < until)
    wait_some(c, -1, 0, until);
  if (c->out >= 0)
    close(c->out);
  if (c->err >= 0)
    close(c->err);
  if (c->pidfd >= 0)
    close(c->pidfd);
  c->out = c->err = c->pidfd = -1;
}

static void set_exit(struct heal_replay_result *res, const struct child *c) {
  if (WIFSIGNALED(c->wstatus)) {
    res->outcome = HEAL_RUN_SIGNALED;
    res->signal = WTERMSIG(c->wstatus);
  } else {
    res->outcome = HEAL_RUN_EXITED;
    res->status = WEXITSTATUS(c->wstatus);
  }
}

/* Hands the captured streams to the result (empty strings when nothing was read). */
static void take_output(struct heal_replay_result *res, const struct child *c) {
  res->out = c->sout.buf ? c->sout.buf : heal_xstrdup("");
  res->out_len = c->sout.len;
  res->err = c->serr.buf ? c->serr.buf : heal_xstrdup("");
  res->err_len = c->serr.len;
  res->truncated = c->sout.cut | (c->serr.cut << 1);
}

/* ---- where a hung program is ------------------------------------------------------- */

/* The function containing file offset off of ELF file path (its .symtab, else .dynsym),
 * or NULL. */
static char *elf_function_at(const char *path, uint64_t off) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  char *name = NULL;
  elf_version(EV_CURRENT);
  Elf *e = elf_begin(fd, ELF_C_READ, NULL);
  size_t nph;
  uint64_t vaddr = 0;
  int found = 0;
  if (e && elf_getphdrnum(e, &nph) == 0) {
    for (size_t i = 0; i < nph && !found; i++) {
      GElf_Phdr ph;
      if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && off >= ph.p_offset &&
          off < ph.p_offset + ph.p_filesz) {
        vaddr = off - ph.p_offset + ph.p_vaddr;
        found = 1;
      }
    }
  }
  for (int pass = 0; found && pass < 2 && !name; pass++) {
    Elf_Scn *scn = NULL;
    while (!name && (scn = elf_nextscn(e, scn))) {
      GElf_Shdr sh;
      if (!gelf_getshdr(scn, &sh) || sh.sh_type != (pass ? SHT_DYNSYM : SHT_SYMTAB) ||
          !sh.sh_entsize)
        continue;
      Elf_Data *data = elf_getdata(scn, NULL);
      size_t n = data ? sh.sh_size / sh.sh_entsize : 0;
      for (size_t i = 0; i < n; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
            vaddr < sym.st_value || vaddr >= sym.st_value + (sym.st_size ? sym.st_size : 1))
          continue;
        const char *nm = elf_strptr(e, sh.sh_link, sym.st_name);
        if (nm && *nm) {
          name = heal_xstrdup(nm);
          break;
        }
      }
    }
  }
  if (e)
    elf_end(e);
  close(fd);
  return name;
}

/* Stops pid for a moment (ptrace) to read its program counter, and names the function
 * there: where a program that timed out was spinning or blocked. Best effort: NULL when
 * ptrace is not allowed or the PC is in no named function. x86-64 and AArch64. */
static void locate_hang(pid_t pid, struct heal_replay_result *res) {
#if defined(__x86_64__) || defined(__aarch64__)
  if (ptrace(PTRACE_SEIZE, pid, 0, 0) != 0)
    return;
  uint64_t pc = 0;
  int stopped = 0;
  if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) == 0) {
    double until = now() + 0.2;
    while (now() < until) {
      int st;
      pid_t r = waitpid(pid, &st, WNOHANG | __WALL);
      if (r == pid && WIFSTOPPED(st)) {
        stopped = 1;
        break;
      }
      if (r == pid || (r < 0 && errno != EINTR)) /* exited meanwhile */
        return;
      poll(NULL, 0, 1);
    }
  }
  if (stopped) {
#if defined(__x86_64__)
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, pid, 0, &regs) == 0)
      pc = regs.rip;
#else
    struct user_pt_regs regs;
    struct iovec iov = {&regs, sizeof regs};
    if (ptrace(PTRACE_GETREGSET, pid, (void *)1 /* NT_PRSTATUS */, &iov) == 0)
      pc = regs.pc;
#endif
  }
  ptrace(PTRACE_DETACH, pid, 0, 0);
  if (!pc)
    return;
  res->hang_pc = pc;
  char *maps = heal_xasprintf("/proc/%d/maps", (int)pid);
  FILE *f = fopen(maps, "r");
  free(maps);
  if (!f)
    return;
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    unsigned long long lo, hi, off;
    int path_at = 0;
    if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &lo, &hi, &off, &path_at) < 3 ||
        pc < lo || pc >= hi)
      continue;
    char *path = line + path_at;
    path[strcspn(path, "\n")] = 0;
    if (path_at && path[0] == '/') {
      res->hang_object = heal_xstrdup(path);
      res->hang_function = elf_function_at(path, pc - lo + off);
    }
    break;
  }
  fclose(f);
#else
  (void)pid;
  (void)res;
#endif
}

/* ---- reports ------------------------------------------------------------------------- */

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_reports(struct heal_replay_result *res) {
  DIR *d = opendir(res->report_dir);
  if (!d)
    return;
  struct strv names = STRV_INIT;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (e->d_name[0] != '.' && n > 5 && !strcmp(e->d_name + n - 5, ".json"))
      strv_push(&names, e->d_name);
  }
  closedir(d);
  if (names.n)
    qsort(names.v, names.n, sizeof *names.v, by_name);
  for (size_t i = 0; i < names.n; i++) {
    char *p = heal_xasprintf("%s/%s", res->report_dir, names.v[i]);
    json_error_t jerr;
    json_t *r = json_load_file(p, 0, &jerr);
    if (json_is_object(r))
      json_array_append_new(res->reports, r);
    else {
      json_decref(r);
      res->bad_reports++;
    }
    free(p);
  }
  strv_free(&names);
}

static void rm_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char *p = heal_xasprintf("%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
      rm_tree(p);
    else
      unlink(p);
    free(p);
  }
  closedir(d);
  rmdir(dir);
}

/* ---- runs ------------------------------------------------------------------------------ */

static void result_init(struct heal_replay_result *res) {
  memset(res, 0, sizeof *res);
  res->outcome = HEAL_RUN_ERROR;
  res->status = -1;
  res->reports = json_array();
}

static int fail(struct heal_replay_result *res, char *msg) {
  res->outcome = HEAL_RUN_ERROR;
  if (res->error != msg)
    free(res->error);
  res->error = msg;
  return -1;
}

static int make_report_dir(struct heal_replay_result *res) {
  char *p = heal_tmppath("heal", "reports");
  if (!p)
    return fail(res, heal_xstrdup("cannot create a temporary directory"));
  if (mkdir(p, 0700) != 0) {
    fail(res, heal_xasprintf("cannot create '%s': %s", p, strerror(errno)));
    free(p);
    return -1;
  }
  res->report_dir = p;
  return 0;
}

int heal_input_check_file(const char *path, char **err) {
  struct stat st;
  const char *why = NULL;
  if (stat(path, &st) != 0 || access(path, R_OK) != 0)
    why = strerror(errno);
  else if (S_ISDIR(st.st_mode))
    why = strerror(EISDIR);
  else if (!S_ISREG(st.st_mode))
    why = "not a regular file";
  if (why && err)
    *err = heal_xasprintf("cannot open '%s': %s", path, why);
  return why ? -1 : 0;
}

static int check_program(const char *binary, struct heal_replay_result *res) {
  struct stat st;
  if (stat(binary, &st) != 0)
    return fail(res, heal_xasprintf("cannot run '%s': %s", binary, strerror(errno)));
  if (!S_ISREG(st.st_mode) || access(binary, X_OK) != 0)
    return fail(res, heal_xasprintf("cannot run '%s': %s", binary,
                                    S_ISDIR(st.st_mode) ? strerror(EISDIR)
                                                        : "not an executable file"));
  return 0;
}

/* Runs argv to completion or the deadline (not for TCP). */
static int run_plain(char *const *argv, char *const *envp, const char *stdin_path,
                     const char *cwd, double timeout, int locate,
                     struct heal_replay_result *res) {
  struct child c;
  double t0 = now(), deadline = t0 + timeout;
  if (start(&c, argv, envp, stdin_path, cwd, &res->error) != 0) {
    res->seconds = now() - t0;
    return fail(res, res->error);
  }
  int timed_out = 0;
  while (!dead(&c)) {
    if (now() >= deadline) {
      timed_out = 1;
      break;
    }
    wait_some(&c, -1, 0, deadline);
  }
  if (timed_out && locate)
    locate_hang(c.pid, res);
  finish(&c, timed_out);
  res->seconds = now() - t0;
  if (timed_out)
    res->outcome = HEAL_RUN_TIMEOUT;
  else
    set_exit(res, &c);
  take_output(res, &c);
  return 0;
}

/* A port nobody listens on now (the kernel's choice for port 0). */
void heal_child_setup(pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) /* heal died before the line above took effect */
    _exit(127);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
}

int heal_free_port(void) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    return -1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  int port = -1;
  if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
      getsockname(s, (struct sockaddr *)&a, &len) == 0)
    port = ntohs(a.sin_port);
  close(s);
  return port;
}

int heal_tcp_port_busy(int port) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    return 0;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int busy = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
  close(s);
  return busy;
}

/* One non-blocking connect attempt: the socket once connected, -1 when refused (not
 * listening yet), -2 on another error. */
static int try_connect(int port, double deadline) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s < 0)
    return -2;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
    return s;
  if (errno != EINPROGRESS) {
    int e = errno;
    close(s);
    return e == ECONNREFUSED ? -1 : -2;
  }
  struct pollfd p = {s, POLLOUT, 0};
  int err = 0;
  socklen_t len = sizeof err;
  if (poll(&p, 1, ms_until(deadline)) == 1 && getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
      err == 0)
    return s;
  close(s);
  return -1;
}

static int run_tcp(char *const *argv, char *const *envp, const struct heal_input *in,
                   double timeout, struct heal_replay_result *res) {
  void *data;
  size_t size;
  if (heal_read_file(in->file, &data, &size) != 0)
    return fail(res, heal_xasprintf("cannot open '%s': %s", in->file, strerror(errno)));
  if (heal_tcp_port_busy(res->port)) {
    free(data);
    return fail(res, heal_xasprintf("port %d is already in use on 127.0.0.1 (stop whatever "
                                    "listens there or choose another port)",
                                    res->port));
  }
  struct child c;
  double t0 = now(), deadline = t0 + timeout;
  if (start(&c, argv, envp, NULL, in->cwd, &res->error) != 0) {
    free(data);
    res->seconds = now() - t0;
    return fail(res, res->error);
  }
  struct sink resp = {0};
  int sock = -1, timed_out = 0, closed = 0;
  /* 1. Wait until the server listens (or dies, or the deadline). */
  while (sock < 0 && !dead(&c) && now() < deadline) {
    int s = try_connect(res->port, deadline);
    if (s >= 0) {
      sock = s;
      break;
    }
    wait_some(&c, -1, 0, now() + 0.005);
  }
  if (sock >= 0) {
    res->connected = 1;
    /* 2. Send everything (the server may answer, or die, before reading it all), then
     * half-close so a server reading to EOF sees the end of the request. */
    size_t off = 0;
    while (off < size && now() < deadline) {
      ssize_t n = send(sock, (char *)data + off, size - off, MSG_NOSIGNAL);
      if (n > 0) {
        off += (size_t)n;
        continue;
      }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        short ev = wait_some(&c, sock, POLLOUT, deadline);
        (void)ev;
        if (dead(&c))
          break;
        continue;
      }
      break; /* EPIPE, ECONNRESET: the server stopped reading */
    }
    shutdown(sock, SHUT_WR);
    /* 3. Read the response until the server closes. */
    while (!closed && now() < deadline) {
      char buf[65536];
      ssize_t n = recv(sock, buf, sizeof buf, 0);
      if (n > 0) {
        sink_add(&resp, buf, (size_t)n);
        continue;
      }
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        closed = 1;
        break;
      }
      /* Dead, but a descendant holds the connection open: the server is done all the
       * same (and waiting on would spin on its pidfd). */
      if (n < 0 && dead(&c)) {
        closed = 1;
        break;
      }
      wait_some(&c, sock, POLLIN, deadline);
    }
    close(sock);
    if (!closed)
      timed_out = 1;
    else {
      /* 4. Dying or still serving? */
      double until = now() + (in->settle > 0 ? in->settle : SETTLE);
      while (!dead(&c) && now() < until)
        wait_some(&c, -1, 0, until);
      if (!dead(&c) && heal_pid_exiting(c.pid))
        while (!dead(&c) && now() < deadline)
          wait_some(&c, -1, 0, deadline);
    }
  } else if (!dead(&c)) {
    timed_out = 1; /* never listened */
  }
  int alive = !dead(&c);
  if (timed_out && alive)
    locate_hang(c.pid, res);
  finish(&c, alive);
  res->seconds = now() - t0;
  if (timed_out)
    res->outcome = HEAL_RUN_TIMEOUT;
  else if (alive)
    res->outcome = HEAL_RUN_RUNNING;
  else
    set_exit(res, &c);
  take_output(res, &c);
  res->response = resp.buf ? resp.buf : heal_xstrdup("");
  res->response_len = resp.len;
  res->truncated |= resp.cut << 2;
  free(data);
  return 0;
}

int heal_replay(const char *binary, const struct heal_input *in, struct heal_replay_result *res) {
  result_init(res);
  char *abs = heal_abspath(binary);
  double timeout = in->timeout > 0 ? in->timeout : HEAL_REPLAY_TIMEOUT;
  res->timeout = timeout;
  int st = -1;
  struct strv argv = STRV_INIT, env = STRV_INIT;
  if (check_program(abs, res) != 0)
    goto out;
  if (in->feed != HEAL_FEED_ARGS) {
    char *err = NULL;
    if (!in->file) {
      fail(res, heal_xstrdup("no input file given"));
      goto out;
    }
    if (heal_input_check_file(in->file, &err) != 0) {
      fail(res, err);
      goto out;
    }
  }
  if (in->feed == HEAL_FEED_TCP) {
    res->port = in->port > 0 ? in->port : heal_free_port();
    if (res->port <= 0 || res->port > 65535) {
      fail(res, heal_xasprintf("no usable TCP port (%d)", in->port));
      goto out;
    }
  }
  if (make_report_dir(res) != 0)
    goto out;
  strv_push(&argv, abs);
  for (size_t i = 0; in->args && in->args[i]; i++)
    strv_adopt(&argv, heal_subst_port(in->args[i], res->port));
  heal_replay_env(&env, abs, res->report_dir, res->port, in->env, in->exact_heap);
  if (in->feed == HEAL_FEED_TCP)
    st = run_tcp(strv_argv(&argv), strv_argv(&env), in, timeout, res);
  else
    st = run_plain(strv_argv(&argv), strv_argv(&env),
                   in->feed == HEAL_FEED_STDIN ? in->file : NULL, in->cwd, timeout, 1, res);
  if (st == 0)
    load_reports(res);
out:
  strv_free(&argv);
  strv_free(&env);
  free(abs);
  return st;
}

int heal_run_test(const char *cmd, const char *binary, double timeout, const char *cwd,
                  struct heal_replay_result *res) {
  result_init(res);
  char *abs = heal_abspath(binary);
  int st = -1;
  struct strv argv = STRV_INIT, env = STRV_INIT;
  timeout = timeout > 0 ? timeout : HEAL_REPLAY_TIMEOUT;
  res->timeout = timeout;
  if (make_report_dir(res) != 0)
    goto out;
  strv_push(&argv, "/bin/sh");
  strv_push(&argv, "-c");
  strv_push(&argv, cmd);
  heal_replay_env(&env, abs, res->report_dir, 0, NULL, 0);
  st = run_plain(strv_argv(&argv), strv_argv(&env), NULL, cwd, timeout, 0, res);
  if (st == 0)
    load_reports(res);
out:
  strv_free(&argv);
  strv_free(&env);
  free(abs);
  return st;
}

void heal_replay_result_free(struct heal_replay_result *res) {
  if (res->report_dir)
    rm_tree(res->report_dir);
  free(res->report_dir);
  free(res->out);
  free(res->err);
  free(res->response);
  free(res->error);
  free(res->hang_function);
  free(res->hang_object);
  json_decref(res->reports);
  memset(res, 0, sizeof *res);
}

json_t *heal_replay_report(const struct heal_replay_result *res) {
  return res->reports ? json_array_get(res->reports, 0) : NULL;
}

const char *heal_outcome_name(enum heal_outcome o) {
  switch (o) {
  case HEAL_RUN_EXITED: return "exited";
  case HEAL_RUN_SIGNALED: return "signaled";
  case HEAL_RUN_TIMEOUT: return "timeout";
  case HEAL_RUN_RUNNING: return "running";
  default: return "error";
  }
}

char *heal_replay_describe(const struct heal_replay_result *res) {
  switch (res->outcome) {
  case HEAL_RUN_EXITED:
    return heal_xasprintf("exited with status %d", res->status);
  case HEAL_RUN_SIGNALED: {
    const char *name = sigabbrev_np(res->signal);
    return name ? heal_xasprintf("died of SIG%s", name)
                : heal_xasprintf("died of signal %d", res->signal);
  }
  case HEAL_RUN_TIMEOUT:
    if (res->port && !res->connected)
      return heal_xasprintf("timed out after %g s (never accepted a connection on port %d)",
                            res->timeout, res->port);
    if (res->hang_function)
      return heal_xasprintf("timed out after %g s (in %s)", res->timeout, res->hang_function);
    return heal_xasprintf("timed out after %g s", res->timeout);
  case HEAL_RUN_RUNNING:
    return heal_xstrdup("answered and kept running");
  default:
    return heal_xasprintf("could not run: %s", res->error ? res->error : "unknown error");
  }
}

/* The first differing byte of two buffers, for messages. */
static size_t first_diff(const char *a, size_t na, const char *b, size_t nb) {
  size_t i = 0;
  while (i < na && i < nb && a[i] == b[i])
    i++;
  return i;
}

int heal_replay_same(const struct heal_replay_result *orig, const struct heal_replay_result *cand,
                     char **why) {
  char *w = NULL;
  if (orig->outcome != cand->outcome || orig->status != cand->status ||
      orig->signal != cand->signal) {
    char *a = heal_replay_describe(cand), *b = heal_replay_describe(orig);
    w = heal_xasprintf("%s, the original %s", a, b);
    free(a);
    free(b);
  } else if (orig->out_len != cand->out_len ||
             memcmp(orig->out ? orig->out : "", cand->out ? cand->out : "", orig->out_len)) {
    w = heal_xasprintf("stdout differs at byte %zu",
                       first_diff(orig->out, orig->out_len, cand->out, cand->out_len));
  } else if (orig->response_len != cand->response_len ||
             (orig->response_len && memcmp(orig->response, cand->response, orig->response_len))) {
    w = heal_xasprintf("the response differs at byte %zu",
                       first_diff(orig->response, orig->response_len, cand->response,
                                  cand->response_len));
  }
  if (why)
    *why = w;
  else
    free(w);
  return w == NULL;
}
