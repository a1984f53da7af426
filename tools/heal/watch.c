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
 * in the listen backlog and are served once the server is back.
 *
 * Every event is one line on stderr, "heal watch: ...". SIGINT/SIGTERM stop the server
 * and exit 0. */
#define _GNU_SOURCE
#include "cli.h"
#include "inputopts.h"
#include "replay.h"
#include "variant.h"
#include "watch_proxy.h"

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
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CMD "watch"
#define USAGE                                                                                 \
  "usage: heal watch BINARY --listen PORT [--tcp PORT] [--env NAME=VALUE]... "                \
  "[--timeout SEC] [--test CMD]... [--corpus DIR] [--approve] [--max-fixes N] [--no-warm] "   \
  "[-- ARGS...]"

struct watch {
  struct heal_input_opts o; /* BINARY, --tcp, --env, --timeout, ARGS */
  char *abs, *self, *home, *dir;
  long listen;
  int approve, max_fixes, warm;
  struct strv tests;
  const char *corpus;
  struct wproxy px;
  /* the server */
  pid_t pid;
  int pidfd, port;
  /* the background warm-up of the variant cache */
  pid_t warm_pid;
  int warm_fd;
  double warm_t0;
  /* the session */
  int fixes, incidents_seen;
  unsigned long long *tried; /* FNV-1a of inputs already given to heal fix */
  size_t ntried;
};

static int sigpipe_fds[2] = {-1, -1};
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) {
  int e = errno;
  stop_signal = sig;
  char c = (char)sig;
  ssize_t w = write(sigpipe_fds[1], &c, 1);
  (void)w;
  errno = e;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
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

static const char *signame(int sig) {
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
    heal_error(CMD, "--tcp %ld: the server's private port must differ from --listen's",
               w->o.port);
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
    heal_error(CMD, "port %ld is already in use on 127.0.0.1 (stop whatever listens there or "
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
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(127);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
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
                                  signame(WTERMSIG(st)), w->port)
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
    if (watch_now() >= deadline || stop_signal) {
      *why = stop_signal ? heal_xstrdup("interrupted")
                         : heal_xasprintf("the server did not accept connections on port %d "
                                          "within %g s (its arguments must pass the port on: "
                                          "{PORT} or $HEAL_PORT)",
                                          w->port, w->o.timeout > 0 ? w->o.timeout
                                                                    : HEAL_REPLAY_TIMEOUT);
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
 * function" (malloc'd), or NULL. */
static char *sensor_report(struct watch *w, pid_t pid) {
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
    if (kind)
      what = heal_xasprintf("%s in %s, %s", kind, fn ? fn : "??", p);
    json_decref(r);
    free(p);
  }
  if (d)
    closedir(d);
  free(dir);
  free(prefix);
  return what;
}

/* ---- the variant cache, warmed in the background ------------------------------------------- */

/* heal watch --warm-cache BINARY (internal: a child of heal watch, so its temporary files
 * are its own): builds the Oracle variant and the patch-mode objects of every module
 * through the variant cache, so the first fix builds only the module its candidate
 * touches. A policy with no entries keys each module's object like a candidate's policy
 * that does not name the module's functions. */
static int warm_cache(const char *binary) {
  char *oracle = heal_variant_cached(CMD, binary, HEAL_MODE_ORACLE, NULL, NULL);
  char *pol = heal_tmppath("heal", "empty-policy.json");
  static const char empty[] = "{\"version\": 1, \"transactions\": [], \"guard\": []}\n";
  char *patch = NULL;
  if (pol && heal_write_file(pol, empty, sizeof empty - 1) == 0)
    patch = heal_variant_cached(CMD, binary, HEAL_MODE_PATCH, pol, NULL);
  int ok = oracle && patch;
  free(oracle);
  free(patch);
  free(pol);
  return ok ? 0 : 1;
}

static void warm_start(struct watch *w) {
  char *log = heal_xasprintf("%s/warm.log", w->dir);
  int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  fflush(NULL);
  pid_t pid = fd < 0 ? -1 : fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(fd, 1);
    dup2(fd, 2);
    char *argv[] = {w->self, "watch", "--warm-cache", w->abs, NULL};
    execv(w->self, argv);
    _exit(127);
  }
  if (fd >= 0)
    close(fd);
  if (pid < 0) {
    say("cannot warm the variant cache (%s): the first fix builds everything", log);
    free(log);
    return;
  }
  free(log);
  w->warm_pid = pid;
  w->warm_fd = (int)syscall(SYS_pidfd_open, pid, 0);
  w->warm_t0 = watch_now();
  say("warming the variant cache in the background (pid %d)", (int)pid);
}

static void warm_done(struct watch *w) {
  int st = 0;
  while (waitpid(w->warm_pid, &st, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
    say("variant cache warm (the Oracle variant and the patch objects) in %.1f s",
        watch_now() - w->warm_t0);
  else
    say("warming the variant cache failed (%s/warm.log); fixes build what they need", w->dir);
  if (w->warm_fd >= 0)
    close(w->warm_fd);
  w->warm_fd = -1;
  w->warm_pid = 0;
}

/* ---- one incident -------------------------------------------------------------------------- */

static unsigned long long fnv(const char *d, size_t n) {
  unsigned long long h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)d[i]) * 0x100000001b3ull;
  return h;
}

/* Runs `heal fix` on the input (this executable, a child) and waits for it. Its JSON
 * (stdout) and its lines (stderr) go to files under watch/fixes. Returns its exit status,
 * or -1 when it could not run or was interrupted; *inc is its incident (or NULL). */
static int run_fix(struct watch *w, const char *input, const char *base, json_t **inc) {
  char *jpath = heal_xasprintf("%s.json", base), *lpath = heal_xasprintf("%s.log", base);
  char port[16];
  snprintf(port, sizeof port, "%ld", w->o.port);
  struct strv argv = STRV_INIT;
  strv_push(&argv, w->self);
  strv_push(&argv, "fix");
  strv_push(&argv, w->abs);
  strv_push(&argv, "--tcp");
  strv_push(&argv, port);
  strv_push(&argv, "--send");
  strv_push(&argv, input);
  strv_push(&argv, "--json");
  if (!w->approve)
    strv_push(&argv, "--deploy");
  if (w->o.timeout > 0) {
    strv_push(&argv, "--timeout");
    strv_pushf(&argv, "%g", w->o.timeout);
  }
  for (size_t i = 0; i < w->o.env.n; i++) {
    strv_push(&argv, "--env");
    strv_push(&argv, w->o.env.v[i]);
  }
  for (size_t i = 0; i < w->tests.n; i++) {
    strv_push(&argv, "--test");
    strv_push(&argv, w->tests.v[i]);
  }
  if (w->corpus) {
    strv_push(&argv, "--corpus");
    strv_push(&argv, w->corpus);
  }
  strv_push(&argv, "--");
  strv_extend(&argv, (const char *const *)w->o.args.v, w->o.args.n);
  int out = open(jpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  int err = open(lpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  int rc = -1;
  *inc = NULL;
  fflush(NULL);
  pid_t pid = out < 0 || err < 0 ? -1 : fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(out, 1);
    dup2(err, 2);
    execv(w->self, argv.v);
    _exit(127);
  }
  if (pid < 0)
    say("cannot run heal fix: %s", strerror(errno));
  while (pid > 0) {
    int st;
    pid_t r = waitpid(pid, &st, 0);
    if (r == pid) {
      rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (r < 0 && errno != EINTR)
      break;
    if (stop_signal) /* heal fix stops its replays and leaves the store consistent */
      kill(pid, SIGTERM);
  }
  if (stop_signal)
    rc = -1;
  if (out >= 0)
    close(out);
  if (err >= 0)
    close(err);
  if (rc >= 0)
    *inc = json_load_file(jpath, 0, NULL);
  strv_free(&argv);
  free(jpath);
  free(lpath);
  return rc;
}

/* The chosen candidate's "candidate N (description)" of a heal fix incident (malloc'd). */
static char *chosen_text(json_t *inc) {
  json_int_t id = json_integer_value(json_object_get(inc, "chosen"));
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(inc, "candidates"), i, c) {
    if (json_integer_value(json_object_get(c, "id")) == id)
      return heal_xasprintf("candidate %lld (%s)", (long long)id,
                            json_string_value(json_object_get(c, "description")));
  }
  return heal_xasprintf("candidate %lld", (long long)id);
}

/* Says what heal fix did; returns 1 when the next suspect should be tried. */
static int fix_outcome(struct watch *w, int rc, json_t *inc, const char *base, double secs) {
  long long id = (long long)json_integer_value(json_object_get(inc, "id"));
  const char *state = json_string_value(json_object_get(inc, "state"));
  const char *note = json_string_value(json_object_get(inc, "note"));
  if (rc == 0 && state && !strcmp(state, "deployed")) {
    char *c = chosen_text(inc);
    say("incident %lld: deployed %s in %.1f s", id, c, secs);
    free(c);
  } else if (rc == 0 && state && !strcmp(state, "pending")) {
    char *c = chosen_text(inc);
    say("incident %lld: %s pending approval ('heal approve %lld' deploys it) in %.1f s; "
        "restarting the unpatched server",
        id, c, id, secs);
    free(c);
  } else if (rc == 3 && inc) {
    say("incident %lld: %s in %.1f s ('heal show %lld'); restarting the unpatched server", id,
        note ? note : "no candidate passed its tests", secs, id);
  } else if (rc == 4 && inc) {
    say("incident %lld: nothing to fix: %s", id, note ? note : "?");
    return 1;
  } else if (rc >= 0) {
    say("heal fix failed (exit status %d; see %s.log); restarting the unpatched server", rc,
        base);
  }
  (void)w;
  return 0;
}

/* Tries the suspects, most recent first, until one crashes the production binary on its
 * own: that one goes to heal fix. */
static void try_suspects(struct watch *w, const struct wsuspect *s, size_t n) {
  for (size_t i = 0; i < n && !stop_signal; i++) {
    char *input = heal_xasprintf("%s/inputs/%d-conn%llu", w->dir, (int)getpid(), s[i].id);
    if (heal_write_file(input, s[i].data, s[i].len) != 0) {
      say("cannot write '%s': %s", input, strerror(errno));
      free(input);
      continue;
    }
    unsigned long long h = fnv(s[i].data, s[i].len);
    int seen = 0;
    for (size_t k = 0; k < w->ntried; k++)
      seen |= w->tried[k] == h;
    if (seen) {
      say("connection %llu (%zu bytes): heal fix already had this input in this session: not "
          "again",
          s[i].id, s[i].len);
      free(input);
      continue;
    }
    /* A replay on the production binary first: only an input that crashes it alone can be
     * healed, and a benign connection must not become an incident. */
    struct heal_input in = {.feed = HEAL_FEED_TCP,
                            .file = input,
                            .port = (int)w->o.port,
                            .args = w->o.args.n ? w->o.args.v : NULL,
                            .env = w->o.env.n ? w->o.env.v : NULL,
                            .timeout = w->o.timeout};
    struct heal_replay_result r;
    heal_replay(w->abs, &in, &r);
    char *what = heal_replay_describe(&r);
    int crashes = r.outcome == HEAL_RUN_SIGNALED;
    heal_replay_result_free(&r);
    if (!crashes) {
      say("connection %llu (%zu bytes%s): the server %s on it alone: not the cause", s[i].id,
          s[i].len, s[i].cut ? ", cut" : "", what);
      free(what);
      free(input);
      continue;
    }
    if (w->fixes >= w->max_fixes) {
      say("connection %llu (%zu bytes) crashes the server again (%s), but --max-fixes %d is "
          "reached: no fix",
          s[i].id, s[i].len, what, w->max_fixes);
      free(what);
      free(input);
      break;
    }
    w->fixes++;
    w->tried = heal_xrealloc(w->tried, (w->ntried + 1) * sizeof *w->tried);
    w->tried[w->ntried++] = h;
    char *base = heal_xasprintf("%s/fixes/%d-%d", w->dir, (int)getpid(), w->fixes);
    say("connection %llu (%zu bytes) crashes the server again (%s): heal fix%s (%s.log)",
        s[i].id, s[i].len, what, w->approve ? "" : " --deploy", base);
    free(what);
    double t0 = watch_now();
    json_t *inc = NULL;
    int rc = run_fix(w, input, base, &inc);
    int next = fix_outcome(w, rc, inc, base, watch_now() - t0);
    json_decref(inc);
    free(base);
    free(input);
    if (!next)
      break;
  }
}

/* The server is gone: find the attack, fix, start it again. 0, or -1 when it cannot be
 * started again (error printed). */
static int on_death(struct watch *w) {
  double t = watch_now();
  int st = 0;
  pid_t dead = w->pid;
  while (waitpid(dead, &st, 0) < 0 && errno == EINTR)
    ;
  close(w->pidfd);
  w->pidfd = -1;
  w->pid = 0;
  size_t n;
  struct wsuspect *s = wproxy_server_died(&w->px, &n);
  w->px.server_pid = 0;
  char *rep = sensor_report(w, dead);
  char *why = rep ? heal_xasprintf(" (report: %s)", rep) : heal_xstrdup("");
  if (WIFSIGNALED(st)) {
    if (n == 0)
      say("server died of %s%s; no connection open: restarting it", signame(WTERMSIG(st)),
          why);
    else if (n == 1)
      say("server died of %s%s; 1 connection open: replaying it", signame(WTERMSIG(st)), why);
    else
      say("server died of %s%s; %zu connections open: replaying them, most recent first",
          signame(WTERMSIG(st)), why, n);
    try_suspects(w, s, n);
  } else {
    say("server exited with status %d%s: restarting it", WEXITSTATUS(st), why);
  }
  free(rep);
  free(why);
  wsuspects_free(s, n);
  if (stop_signal)
    return 0;
  char *err = NULL;
  if (server_start(w, &err) != 0) {
    if (!stop_signal)
      heal_error(CMD, "%s", err);
    free(err);
    return stop_signal ? 0 : -1;
  }
  say("server restarted (pid %d, port %d): answering again %.2f s after the %s", (int)w->pid,
      w->port, watch_now() - t, WIFSIGNALED(st) ? "crash" : "exit");
  return 0;
}

/* ---- the loop ------------------------------------------------------------------------------ */

static int loop(struct watch *w) {
  struct pollfd *p = heal_xmalloc((4 + 2 * WATCH_MAX_CONNS) * sizeof *p);
  int rc = 0;
  while (!stop_signal) {
    p[0] = (struct pollfd){sigpipe_fds[0], POLLIN, 0};
    p[1] = (struct pollfd){w->pidfd, POLLIN, 0};
    p[2] = (struct pollfd){w->px.n < WATCH_MAX_CONNS ? w->px.lfd : -1, POLLIN, 0};
    p[3] = (struct pollfd){w->warm_pid > 0 ? w->warm_fd : -1, POLLIN, 0};
    size_t n = w->px.n;
    for (size_t i = 0; i < n; i++)
      wproxy_events(&w->px, i, p + 4 + 2 * i);
    if (poll(p, (nfds_t)(4 + 2 * n), -1) < 0) {
      if (errno == EINTR)
        continue;
      heal_error(CMD, "poll: %s", strerror(errno));
      rc = 1;
      break;
    }
    if (stop_signal)
      break;
    if (p[3].revents)
      warm_done(w);
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
  }
  free(p);
  return rc;
}

int cmd_watch(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--warm-cache"))
    return warm_cache(argv[2]);
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
  say("listening on 127.0.0.1:%d", w.px.port);
  if (server_start(&w, &err) != 0) {
    heal_error(CMD, "%s", err);
    free(err);
    wproxy_close(&w.px);
    return 1;
  }
  say("server started (pid %d, port %d)", (int)w.pid, w.port);
  if (w.warm)
    warm_start(&w);
  int rc = loop(&w);
  if (stop_signal)
    say("stopping (%s)", signame(stop_signal));
  server_stop(&w);
  if (w.warm_pid > 0) {
    kill(w.warm_pid, SIGTERM);
    while (waitpid(w.warm_pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  wproxy_close(&w.px);
  if (!rc)
    say("server stopped");
  heal_input_opts_free(&w.o);
  strv_free(&w.tests);
  free(w.abs);
  free(w.self);
  free(w.home);
  free(w.dir);
  free(w.tried);
  return rc;
}
