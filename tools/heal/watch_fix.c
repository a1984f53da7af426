/* heal watch: what happens when the server dies (which connection crashed it, heal fix
 * on it), and the warm-up of the variant cache that makes the first fix fast. */
#define _GNU_SOURCE
#include "cli.h"
#include "replay.h"
#include "variant.h"
#include "watch.h"

#include "healcommon/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CMD "watch"

/* ---- the variant cache, warmed in the background ------------------------------------------- */

/* heal watch --warm-cache BINARY (internal: a child of heal watch, so its temporary files
 * are its own): builds the Oracle variant and the patch-mode objects of every module
 * through the variant cache, so the first fix builds only the module its candidate
 * touches. A policy with no entries keys each module's object like a candidate's policy
 * that does not name the module's functions. */
int watch_warm_cache(const char *binary) {
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

void watch_warm_start(struct watch *w) {
  char *log = heal_xasprintf("%s/warm.log", w->dir);
  int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  fflush(NULL);
  pid_t pid = fd < 0 ? -1 : fork();
  if (pid == 0) {
    setpgid(0, 0); /* its own group: a stop reaches its build workers too */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(fd, 1);
    dup2(fd, 2);
    char *argv[] = {w->self, "watch", "--warm-cache", w->abs, NULL};
    execv(w->self, argv);
    _exit(127);
  }
  if (fd >= 0)
    close(fd);
  if (pid > 0)
    setpgid(pid, pid);
  if (pid < 0) {
    watch_log("cannot warm the variant cache (%s): the first fix builds everything", log);
    free(log);
    return;
  }
  free(log);
  w->warm_pid = pid;
  w->warm_fd = (int)syscall(SYS_pidfd_open, pid, 0);
  w->warm_t0 = watch_now();
  watch_log("warming the variant cache in the background (pid %d)", (int)pid);
}

void watch_warm_done(struct watch *w) {
  int st = 0;
  while (waitpid(w->warm_pid, &st, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
    watch_log("variant cache warm (the Oracle variant and the patch objects) in %.1f s",
              watch_now() - w->warm_t0);
  else
    watch_log("warming the variant cache failed (%s/warm.log); fixes build what they need", w->dir);
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
    /* Its own group: a stop reaches its module build workers too, which would otherwise
     * outlive it. */
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(out, 1);
    dup2(err, 2);
    execv(w->self, argv.v);
    _exit(127);
  }
  if (pid > 0)
    setpgid(pid, pid);
  if (pid < 0)
    watch_log("cannot run heal fix: %s", strerror(errno));
  while (pid > 0) {
    int st;
    pid_t r = waitpid(pid, &st, 0);
    if (r == pid) {
      rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (r < 0 && errno != EINTR)
      break;
    if (watch_stop_signal) /* heal fix stops its replays and leaves the store consistent */
      kill(-pid, SIGTERM);
  }
  if (watch_stop_signal)
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
static int fix_outcome(int rc, json_t *inc, const char *base, double secs) {
  long long id = (long long)json_integer_value(json_object_get(inc, "id"));
  const char *state = json_string_value(json_object_get(inc, "state"));
  const char *note = json_string_value(json_object_get(inc, "note"));
  if (rc == 0 && state && !strcmp(state, "deployed")) {
    char *c = chosen_text(inc);
    watch_log("incident %lld: deployed %s in %.1f s", id, c, secs);
    free(c);
  } else if (rc == 0 && state && !strcmp(state, "pending")) {
    char *c = chosen_text(inc);
    watch_log("incident %lld: %s pending approval ('heal approve %lld' deploys it) in %.1f s; "
              "restarting the unpatched server",
              id, c, id, secs);
    free(c);
  } else if (rc == 3 && inc) {
    watch_log("incident %lld: %s in %.1f s ('heal show %lld'); restarting the unpatched server", id,
              note ? note : "no candidate passed its tests", secs, id);
  } else if (rc == 4 && inc) {
    watch_log("incident %lld: nothing to fix: %s", id, note ? note : "?");
    return 1;
  } else if (rc >= 0) {
    watch_log("heal fix failed (exit status %d; see %s.log); restarting the unpatched server", rc,
              base);
  }
  return 0;
}

/* Tries the suspects, most recent first, until one crashes the production binary on its
 * own: that one goes to heal fix. */
int watch_try_suspects(struct watch *w, const struct wsuspect *s, size_t n) {
  int explained = 0;
  for (size_t i = 0; i < n && !watch_stop_signal; i++) {
    char *input = heal_xasprintf("%s/inputs/%d-conn%llu", w->dir, (int)getpid(), s[i].id);
    if (heal_write_file(input, s[i].data, s[i].len) != 0) {
      watch_log("cannot write '%s': %s", input, strerror(errno));
      free(input);
      continue;
    }
    unsigned long long h = fnv(s[i].data, s[i].len);
    int seen = 0;
    for (size_t k = 0; k < w->ntried; k++)
      seen |= w->tried[k] == h;
    /* "connection 2 (218 bytes)", ", cut" when the client sent more than was recorded */
    char *label =
        heal_xasprintf("connection %llu (%zu bytes%s)", s[i].id, s[i].len, s[i].cut ? ", cut" : "");
    if (seen) {
      explained = 1;
      watch_log("%s: heal fix already had this input in this session: not again", label);
      free(label);
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
    int ran = heal_replay(w->abs, &in, &r) == 0;
    char *what = ran ? heal_replay_describe(&r) : heal_xstrdup(r.error ? r.error : "?");
    int crashes = ran && r.outcome == HEAL_RUN_SIGNALED;
    heal_replay_result_free(&r);
    int limit = crashes && w->fixes >= w->max_fixes;
    if (!crashes && ran)
      watch_log("%s: the server %s on it alone: not the cause", label, what);
    else if (!crashes)
      watch_log("%s: cannot replay it: %s", label, what);
    else if (limit)
      watch_log("%s crashes the server again (%s), but --max-fixes %d is reached: no fix", label,
                what, w->max_fixes);
    if (!crashes || limit) {
      free(label);
      free(what);
      free(input);
      if (limit) { /* the other suspects would not be fixed either */
        explained = 1;
        break;
      }
      continue;
    }
    explained = 1;
    w->fixes++;
    w->tried = heal_xrealloc(w->tried, (w->ntried + 1) * sizeof *w->tried);
    w->tried[w->ntried++] = h;
    char *base = heal_xasprintf("%s/fixes/%d-%d", w->dir, (int)getpid(), w->fixes);
    watch_log("%s crashes the server again (%s): heal fix%s (%s.log)", label, what,
              w->approve ? "" : " --deploy", base);
    free(label);
    free(what);
    double t0 = watch_now();
    json_t *inc = NULL;
    int rc = run_fix(w, input, base, &inc);
    int next = fix_outcome(rc, inc, base, watch_now() - t0);
    json_decref(inc);
    free(base);
    free(input);
    if (!next)
      break;
  }
  return explained;
}

void watch_record(struct watch *w, const char *report) {
  char *out = heal_tmppath("heal", "record.out");
  struct strv argv = STRV_INIT;
  strv_push(&argv, w->self);
  strv_push(&argv, "record");
  strv_push(&argv, w->abs);
  strv_push(&argv, "--report");
  strv_push(&argv, report);
  strv_push(&argv, "--");
  strv_extend(&argv, (const char *const *)w->o.args.v, w->o.args.n);
  int rc = out ? heal_run_to(HEAL_PROG, argv.v, 0, out) : -1;
  void *text = NULL;
  size_t len;
  long long id = 0;
  if (rc == 0 && heal_read_file(out, &text, &len) == 0 &&
      sscanf(text, "recorded incident %lld", &id) == 1)
    watch_log("incident %lld: the crash recorded, no connection reproduces it alone ('heal show "
              "%lld')",
              id, id);
  else
    watch_log("recording the crash failed (heal record: exit status %d)", rc);
  free(text);
  free(out);
  strv_free(&argv);
}
