/* heal watch's shared state (watch.c: options, the server, the loop; watch_fix.c: what
 * happens when the server dies, and the warm-up of the variant cache). */
#ifndef HEAL_TOOL_WATCH_H
#define HEAL_TOOL_WATCH_H

#include "inputopts.h"
#include "watch_proxy.h"

#include "healcommon/strv.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>

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
  int fixes;                 /* runs of heal fix so far */
  unsigned long long *tried; /* FNV-1a of inputs already given to heal fix */
  size_t ntried;
  /* BINARY as the server was started from it, and a replacement seen since (heal approve,
   * heal rollback, a new build): the server restarts from it once it stays put and no
   * connection is open. */
  struct stat bin_st, new_st;
  double new_seen, last_look;
  int replaced;
};

/* The signal that asks heal watch to stop (0: none yet). */
extern volatile sig_atomic_t watch_stop_signal;

/* One event line on stderr, "heal watch: ...", written at once (the server shares it). */
void watch_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "SIGSEGV" (a static buffer). */
const char *watch_signame(int sig);

/* heal watch --warm-cache BINARY: the internal child that warms the variant cache. */
int watch_warm_cache(const char *binary);
/* Starts it in the background (w->warm_pid, w->warm_fd: its pidfd), and reaps it. */
void watch_warm_start(struct watch *w);
void watch_warm_done(struct watch *w);

/* Replays the suspects on the production binary, most recent first, until one crashes it
 * on its own; that one goes to heal fix (--deploy unless --approve), within --max-fixes.
 * Returns 1 when one did (the crash is explained), else 0. */
int watch_try_suspects(struct watch *w, const struct wsuspect *s, size_t n);

/* Records the sensor report of a crash no connection explains as an incident (heal record,
 * a child), so the store keeps it. */
void watch_record(struct watch *w, const char *report);

#endif
