/* heal watch BINARY --listen PORT [--tcp PORT] [--env NAME=VALUE]... [--timeout SEC]
 *            [--test CMD]... [--corpus DIR] [--approve] [--max-fixes N] [--no-warm]
 *            [-- ARGS...]
 *
 * The heal loop with no human in it, for a TCP server: heal listens on the public port,
 * runs BINARY (a heal-cc build in production) on a private port, relays every client
 * connection to it (watch_proxy.c) and records what each client sent. When the server
 * dies of a signal, the connections open at that moment are the suspects: the first whose
 * bytes crash the production binary again on their own becomes the input of `heal fix
 * --deploy --json` (this very executable, as a child), and the server is started again
 * from BINARY's path, which the deployment replaced. Clients that connect meanwhile wait
 * in the listen backlog and are served once the server is back (watch_fix.c: the
 * suspects, heal fix, the warm-up of the variant cache). A crash no connection explains is
 * recorded (heal record); a BINARY replaced by someone else (heal approve, heal rollback)
 * is restarted from once no connection is open.
 *
 * Every event is one line on stderr, "heal watch: ...". SIGINT/SIGTERM stop the server
 * and exit 0. */
#define _GNU_SOURCE
#include "cli.h"
#include "inputopts.h"
#include "replay.h"
#include "variant.h"
#include "watch.h"

#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CMD "watch"
#define USAGE                                                                                      \
  "usage: heal watch BINARY --listen PORT [--tcp PORT] [--env NAME=VALUE]... "                     \
  "[--timeout SEC] [--test CMD]... [--corpus DIR] [--approve] [--max-fixes N] [--no-warm] "        \
  "[-- ARGS...]"

static int sigpipe_fds[2] = {-1, -1};
volatile sig_atomic_t watch_stop_signal;

static void on_stop(int sig) {
  int e = errno;
  watch_stop_signal = sig;
  char c = (char)sig;
  ssize_t w = write(sigpipe_fds[1], &c, 1);
  (void)w;
  errno = e;
}

void watch_log(const char *fmt, ...) {
  /* One write per line: the server writes to the same stderr. */
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = snprintf(buf, sizeof buf, "heal watch: ");
  n += vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 2)
    n = (int)sizeof buf - 2;
  buf[n++] = '\n';
  fflush(stderr);
  ssize_t w = write(2, buf, (size_t)n);
  (void)w;
}

const char *watch_signame(int sig) {
  static char buf[32];
  const char *d = sigabbrev_np(sig);
  if (d)
    snprintf(buf, sizeof buf, "SIG%s", d);
  else
    snprintf(buf, sizeof buf, "signal %d", sig);
  return buf;
}

/* ---- arguments --------------------------------------------------------------------------- */

static int parse_args(struct watch *w, int argc, char **argv) {
  double v, max = 3;
  int i = 1;
  w->listen = -1;
  w->warm = 1;
  heal_input_opts_init(&w->o);
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      puts(USAGE);
      exit(0);
    }
    if (!strcmp(a, "--approve")) {
      w->approve = 1;
      continue;
    }
    if (!strcmp(a, "--no-warm")) {
      w->warm = 0;
      continue;
    }
    if (!strcmp(a, "--listen") || !strcmp(a, "--test") || !strcmp(a, "--corpus") ||
        !strcmp(a, "--max-fixes")) {
      if (i + 1 >= argc) {
        heal_error(CMD, "%s needs an argument", a);
        return -1;
      }
      const char *val = argv[++i];
      if (!strcmp(a, "--test"))
        strv_push(&w->tests, val);
      else if (!strcmp(a, "--corpus"))
        w->corpus = val;
      else if (!strcmp(a, "--max-fixes")) {
        if (heal_parse_number(CMD, a, val, 0, 1000, &max) != 0)
          return -1;
      } else {
        if (heal_parse_number(CMD, a, val, 0, 65535, &v) != 0)
          return -1;
        if (v != (long)v) {
          heal_error(CMD, "--listen: expected a port number, got '%s'", val);
          return -1;
        }
        w->listen = (long)v;
      }
      continue;
    }
    int r = heal_input_option(CMD, argc, argv, &i, &w->o);
    if (r < 0)
      return -1;
    if (r && (w->o.stdin_file || w->o.send)) {
      heal_error(CMD, "%s does not apply: the inputs are what clients send", a);
      return -1;
    }
    if (!r && heal_input_positional(CMD, a, &w->o) != 0)
      return -1;
  }
  for (; i < argc; i++)
    strv_push(&w->o.args, argv[i]);
  if (!w->o.binary) {
    heal_error(CMD, "missing BINARY (see '%s %s --help')", HEAL_PROG, CMD);
    return -1;
  }
  if (w->listen < 0) {
    heal_error(CMD, "missing --listen PORT (the public port; 0 picks a free one)");
    return -1;
  }
  if (w->o.port < 0)
    w->o.port = 0;
  if (w->o.port > 0 && w->o.port == w->listen) {
    heal_error(CMD, "--tcp %ld: the server's private port must differ from --listen's", w->o.port);
    return -1;
  }
  w->max_fixes = (int)max;
  return 0;
}

static int check_setup(struct watch *w) {
  if (heal_variant_check(CMD, w->o.binary) != 0)
    return -1;
  if (access(w->o.binary, X_OK) != 0) {
    heal_error(CMD, "cannot run '%s': %s", w->o.binary, strerror(errno));
    return -1;
  }
  if (w->corpus) {
    DIR *d = opendir(w->corpus);
    if (!d) {
      heal_error(CMD, "cannot read the corpus directory '%s': %s", w->corpus, strerror(errno));
      return -1;
    }
    closedir(d);
  }
  if (w->o.port > 0 && heal_tcp_port_busy((int)w->o.port)) {
    heal_error(CMD,
               "port %ld is already in use on 127.0.0.1 (stop whatever listens there or "
               "choose another --tcp port, or 0)",
               w->o.port);
    return -1;
  }
  w->abs = heal_abspath(w->o.binary);
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    heal_error(CMD, "cannot find heal's own executable (/proc/self/exe): %s", strerror(errno));
    return -1;
  }
  self[n] = 0;
  w->self = heal_xstrdup(self);
  w->home = heal_home_dir();
  w->dir = heal_xasprintf("%s/watch", w->home);
  const char *dirs[] = {w->home, w->dir, "inputs", "reports", "fixes"};
  for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
    char *d = k < 2 ? heal_xstrdup(dirs[k]) : heal_xasprintf("%s/%s", w->dir, dirs[k]);
    if (mkdir(d, 0777) != 0 && errno != EEXIST) {
      heal_error(CMD, "cannot create '%s': %s (set HEAL_HOME to a writable directory)", d,
                 strerror(errno));
      free(d);
      return -1;
    }
    free(d);
  }
  return 0;
}

/* ---- the server -------------------------------------------------------------------------- */

/* Starts the server and waits until it accepts connections. 0; or -1 with *why (malloc'd)
 * when it died first, did not listen in time, or could not be started. */
static int server_start(struct watch *w, char **why) {
  w->port = w->o.port > 0 ? (int)w->o.port : heal_free_port();
  if (w->port <= 0) {
    *why = heal_xstrdup("no free TCP port for the server");
    return -1;
  }
  stat(w->abs, &w->bin_st); /* the binary this start runs */
  w->replaced = 0;
  struct strv argv = STRV_INIT, env = STRV_INIT;
  char *reports = heal_xasprintf("%s/reports", w->dir);
  strv_push(&argv, w->abs);
  for (size_t i = 0; i < w->o.args.n; i++)
    strv_adopt(&argv, heal_subst_port(w->o.args.v[i], w->port));
  heal_replay_env(&env, w->abs, reports, w->port, w->o.env.n ? w->o.env.v : NULL, 0);
  free(reports);
  pid_t parent = getpid();
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    /* Its own process group (stopped as a whole); dies with heal watch. */
    heal_child_setup(parent);
    int in = open("/dev/null", O_RDONLY);
    if (in >= 0)
      dup2(in, 0);
    execve(argv.v[0], argv.v, strv_argv(&env));
    fprintf(stderr, "heal watch: error: cannot run '%s': %s\n", argv.v[0], strerror(errno));
    _exit(127);
  }
  strv_free(&argv);
  strv_free(&env);
  if (pid < 0) {
    *why = heal_xasprintf("cannot start '%s': %s", w->abs, strerror(errno));
    return -1;
  }
  setpgid(pid, pid);
  w->pid = pid;
  w->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  double deadline = watch_now() + (w->o.timeout > 0 ? w->o.timeout : HEAL_REPLAY_TIMEOUT);
  for (;;) {
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      w->pid = 0;
      close(w->pidfd);
      w->pidfd = -1;
      *why = WIFSIGNALED(st)
                 ? heal_xasprintf("the server died of %s before accepting connections on port "
                                  "%d",
                                  watch_signame(WTERMSIG(st)), w->port)
                 : heal_xasprintf("the server exited with status %d before accepting "
                                  "connections on port %d (its arguments must pass the port "
                                  "on: {PORT} or $HEAL_PORT)",
                                  WEXITSTATUS(st), w->port);
      return -1;
    }
    if (heal_tcp_port_busy(w->port)) {
      w->px.server_pid = pid;
      return 0;
    }
    if (watch_now() >= deadline || watch_stop_signal) {
      *why = watch_stop_signal
                 ? heal_xstrdup("interrupted")
                 : heal_xasprintf("the server did not accept connections on port %d "
                                  "within %g s (its arguments must pass the port on: "
                                  "{PORT} or $HEAL_PORT)",
                                  w->port, w->o.timeout > 0 ? w->o.timeout : HEAL_REPLAY_TIMEOUT);
      return -1;
    }
    poll(NULL, 0, 5);
  }
}

/* Stops the server (SIGTERM to its group, SIGKILL after 0.5 s) and reaps it. */
static void server_stop(struct watch *w) {
  if (w->pid <= 0)
    return;
  kill(-w->pid, SIGTERM);
  int st;
  double until = watch_now() + 0.5;
  while (waitpid(w->pid, &st, WNOHANG) == 0 && watch_now() < until)
    poll(NULL, 0, 5);
  if (kill(w->pid, 0) == 0 || errno != ESRCH) {
    kill(-w->pid, SIGKILL);
    while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
      ;
  }
  close(w->pidfd);
  w->pidfd = -1;
  w->pid = 0;
}

/* The sensor's report of the server pid just died (HEAL_REPORT_DIR), as "kind in
 * function, PATH" (malloc'd; *path: PATH), or NULL. */
static char *sensor_report(struct watch *w, pid_t pid, char **path) {
  char *dir = heal_xasprintf("%s/reports", w->dir);
  char *prefix = heal_xasprintf("heal-%d-", (int)pid);
  char *what = NULL;
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && !what && (e = readdir(d))) {
    if (strncmp(e->d_name, prefix, strlen(prefix)))
      continue;
    char *p = heal_xasprintf("%s/%s", dir, e->d_name);
    json_t *r = json_load_file(p, 0, NULL);
    const char *kind = json_string_value(json_object_get(r, "kind"));
    const char *fn = json_string_value(json_object_get(r, "function"));
    if (kind) {
      what = heal_xasprintf("%s in %s, %s", kind, fn ? fn : "??", p);
      *path = p;
    } else {
      free(p);
    }
    json_decref(r);
  }
  if (d)
    closedir(d);
  free(dir);
  free(prefix);
  return what;
}

/* The server is gone: find the attack, fix, start it again. 0, or -1 when it cannot be
 * started again (error printed). */
static int on_death(struct watch *w) {
  double t = watch_now();
  int st = 0;
  pid_t dead = w->pid;
  /* What it left running in its group (workers holding the port) goes with it; its
   * zombie still reserves the group id, so this reaches only its own processes. */
  kill(-dead, SIGKILL);
  while (waitpid(dead, &st, 0) < 0 && errno == EINTR)
    ;
  close(w->pidfd);
  w->pidfd = -1;
  w->pid = 0;
  size_t n;
  struct wsuspect *s = wproxy_server_died(&w->px, &n);
  w->px.server_pid = 0;
  char *path = NULL, *rep = sensor_report(w, dead, &path);
  int explained = 0;
  char *why = rep ? heal_xasprintf(" (report: %s)", rep) : heal_xstrdup("");
  if (WIFSIGNALED(st)) {
    if (n == 0)
      watch_log("server died of %s%s; no connection open: restarting it",
                watch_signame(WTERMSIG(st)), why);
    else if (n == 1)
      watch_log("server died of %s%s; 1 connection open: replaying it", watch_signame(WTERMSIG(st)),
                why);
    else
      watch_log("server died of %s%s; %zu connections open: replaying them, most recent first",
                watch_signame(WTERMSIG(st)), why, n);
    explained = watch_try_suspects(w, s, n);
  } else {
    watch_log("server exited with status %d%s: restarting it", WEXITSTATUS(st), why);
  }
  free(rep);
  free(why);
  wsuspects_free(s, n);
  char *err = NULL;
  if (watch_stop_signal || server_start(w, &err) != 0) {
    if (!watch_stop_signal)
      heal_error(CMD, "%s", err);
    free(err);
    free(path);
    return watch_stop_signal ? 0 : -1;
  }
  watch_log("server restarted (pid %d, port %d): answering again %.2f s after the %s", (int)w->pid,
            w->port, watch_now() - t, WIFSIGNALED(st) ? "crash" : "exit");
  /* A crash no connection explains still goes to the store, after the restart. */
  if (WIFSIGNALED(st) && !explained && path)
    watch_record(w, path);
  free(path);
  return 0;
}

/* Whether the server has exited (not reaped: waitid with WNOWAIT). */
static int server_gone(struct watch *w) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  if (waitid(P_PID, (id_t)w->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
    return errno == ECHILD;
  return si.si_pid == w->pid;
}

static int same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* BINARY replaced since the server started (heal approve deploys a pending patch, heal
 * rollback puts the old binary back): once the new file has stayed the same for
 * REPLACE_SETTLE s (a copy in progress is not run) and no connection is open (new ones
 * wait in the backlog meanwhile), the server is restarted from it. 1 when it is time. */
#define REPLACE_SETTLE 0.5
static int binary_replaced(struct watch *w) {
  struct stat st;
  if (!w->replaced && watch_now() - w->last_look < 1.0)
    return 0; /* a busy server: not a stat per event */
  w->last_look = watch_now();
  if (stat(w->abs, &st) != 0 || same_file(&st, &w->bin_st)) {
    w->replaced = 0;
    return 0;
  }
  if (!w->replaced || !same_file(&st, &w->new_st)) {
    if (!w->replaced)
      watch_log("%s was replaced: restarting the server from it once %s", w->abs,
                w->px.n ? "the open connections end" : "it stays put");
    w->replaced = 1;
    w->new_st = st;
    w->new_seen = watch_now();
    return 0;
  }
  return w->px.n == 0 && watch_now() - w->new_seen >= REPLACE_SETTLE;
}

/* ---- the loop ------------------------------------------------------------------------------ */

static int loop(struct watch *w) {
  struct pollfd *p = heal_xmalloc((4 + 2 * WATCH_MAX_CONNS) * sizeof *p);
  int rc = 0;
  while (!watch_stop_signal) {
    p[0] = (struct pollfd){sigpipe_fds[0], POLLIN, 0};
    p[1] = (struct pollfd){w->pidfd, POLLIN, 0};
    p[2] = (struct pollfd){w->px.n < WATCH_MAX_CONNS && !w->replaced ? w->px.lfd : -1, POLLIN, 0};
    p[3] = (struct pollfd){w->warm_pid > 0 ? w->warm_fd : -1, POLLIN, 0};
    size_t n = w->px.n;
    for (size_t i = 0; i < n; i++)
      wproxy_events(&w->px, i, p + 4 + 2 * i);
    /* Without a pidfd (kernels before 5.3) the server's exit is polled for; BINARY is
     * looked at every second. */
    if (poll(p, (nfds_t)(4 + 2 * n), w->pidfd < 0 || w->replaced ? 100 : 1000) < 0) {
      if (errno == EINTR)
        continue;
      heal_error(CMD, "poll: %s", strerror(errno));
      rc = 1;
      break;
    }
    if (watch_stop_signal)
      break;
    if (p[3].revents)
      watch_warm_done(w);
    if (w->pidfd < 0 && server_gone(w))
      p[1].revents = POLLIN;
    if (!p[1].revents) {
      for (size_t i = 0; i < n; i++)
        wproxy_service(&w->px, i, p + 4 + 2 * i);
      wproxy_reap(&w->px);
    }
    /* The server died (or is dying: a connection closed by its exit): the connections
     * open then are the suspects, and no new one is accepted before it is handled. */
    if (p[1].revents || w->px.server_dying) {
      if (on_death(w) != 0) {
        rc = 1;
        break;
      }
      continue;
    }
    if (p[2].revents)
      wproxy_accept(&w->px, w->port);
    if (binary_replaced(w)) {
      w->px.server_pid = 0;
      server_stop(w);
      double t = watch_now();
      char *err = NULL;
      if (server_start(w, &err) != 0) {
        if (!watch_stop_signal)
          heal_error(CMD, "%s", err);
        free(err);
        rc = watch_stop_signal ? 0 : 1;
        break;
      }
      watch_log("server restarted (pid %d, port %d): running the new binary, %.2f s after the "
                "stop",
                (int)w->pid, w->port, watch_now() - t);
    }
  }
  free(p);
  return rc;
}

int cmd_watch(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--warm-cache"))
    return watch_warm_cache(argv[2]);
  struct watch w;
  memset(&w, 0, sizeof w);
  w.pidfd = w.warm_fd = -1;
  if (parse_args(&w, argc, argv) != 0)
    return 2;
  if (check_setup(&w) != 0 || !heal_tmpdir(HEAL_PROG))
    return 1;
  /* After heal_tmpdir, which installs its own handlers: a signal stops the loop, and the
   * temporary directory goes at exit. */
  if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    heal_error(CMD, "pipe: %s", strerror(errno));
    return 1;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  char *err = NULL;
  if (wproxy_listen(&w.px, (int)w.listen, &err) != 0) {
    heal_error(CMD, "%s", err);
    free(err);
    return 1;
  }
  watch_log("listening on 127.0.0.1:%d", w.px.port);
  if (server_start(&w, &err) != 0) {
    int stopped = watch_stop_signal != 0;
    if (stopped)
      watch_log("stopping (%s)", watch_signame(watch_stop_signal));
    else
      heal_error(CMD, "%s", err);
    free(err);
    server_stop(&w);
    wproxy_close(&w.px);
    return stopped ? 0 : 1;
  }
  watch_log("server started (pid %d, port %d)", (int)w.pid, w.port);
  if (w.warm)
    watch_warm_start(&w);
  int rc = loop(&w);
  if (watch_stop_signal)
    watch_log("stopping (%s)", watch_signame(watch_stop_signal));
  server_stop(&w);
  if (w.warm_pid > 0) {
    kill(-w.warm_pid, SIGTERM);
    while (waitpid(w.warm_pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  wproxy_close(&w.px);
  if (!rc)
    watch_log("server stopped");
  heal_input_opts_free(&w.o);
  strv_free(&w.tests);
  free(w.abs);
  free(w.self);
  free(w.home);
  free(w.dir);
  free(w.tried);
  return rc;
}
