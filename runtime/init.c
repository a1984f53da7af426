/* Runtime start-up: configuration from the environment, the module table, and the order in
 * which the other parts are set up. Runs from a constructor, or earlier from the first
 * __heal_register_module call (an instrumented module's constructor may run before ours). */
#define _GNU_SOURCE
#include <errno.h> /* program_invocation_name */
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heal/heal.h"
#include "internal.h"
#include "slots.h"

#define HEAL_MAX_MODULES 1024

char heal_report_dir[HEAL_PATH_MAX];
char heal_program[HEAL_PATH_MAX];

/* Fixed-size table, append-only: a slot is claimed with an atomic increment, so modules of
 * libraries loaded by dlopen from several threads at once register safely. */
static const struct heal_module *modules[HEAL_MAX_MODULES];
static atomic_uint nmodules;
static atomic_uint max_mode; /* highest enum heal_mode registered, 0 = none */

/* 0 = not started, 1 = running, 2 = done. */
static atomic_int init_state;

static void copy_bounded(char *dst, const char *src, size_t cap) {
  size_t n = strlen(src);
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

static void read_config(void) {
  const char *dir = getenv(HEAL_ENV_REPORT_DIR);
  if (dir && *dir) {
    /* Absolute now: the program may chdir before it faults. */
    size_t n = 0;
    if (dir[0] != '/' && getcwd(heal_report_dir, sizeof heal_report_dir - 2)) {
      n = strlen(heal_report_dir);
      heal_report_dir[n++] = '/';
    }
    copy_bounded(heal_report_dir + n, dir, sizeof heal_report_dir - n);
  }
  ssize_t n = readlink("/proc/self/exe", heal_program, sizeof heal_program - 1);
  if (n > 0)
    heal_program[n] = '\0';
  else
    copy_bounded(heal_program, program_invocation_name ? program_invocation_name : "",
                 sizeof heal_program);
}

void heal_rt_init(void) {
  int expected = 0;
  if (!atomic_compare_exchange_strong(&init_state, &expected, 1)) {
    /* Another thread (dlopen from two threads) is initializing: wait for it; the same
     * thread re-entering cannot happen because nothing below registers modules. */
    while (atomic_load(&init_state) != 2)
      sched_yield();
    return;
  }
  read_config();
  heal_oracle_configure(); /* again: the slots may have been set up before environ was */
  heal_unwind_init();   /* before any fault: the unwinder's one-time setup is not AS-safe */
  heal_threads_init();  /* resolves the real pthread_create */
  heal_altstack_install(); /* the thread running constructors, normally the main thread */
  heal_signals_install();
  atomic_store(&init_state, 2);
}

/* Default priority: after libc's own constructors; executables' and dependent libraries'
 * constructors come after this library's anyway (it is their DT_NEEDED). */
__attribute__((constructor)) static void heal_rt_ctor(void) { heal_rt_init(); }

static const char *const mode_names[] = {"sensor", "sensor", "oracle", "patch"};

const char *heal_mode_name(void) {
  unsigned m = atomic_load(&max_mode);
  return m < sizeof mode_names / sizeof mode_names[0] ? mode_names[m] : "sensor";
}

static void say(const char *a, const char *b, const char *c) {
  struct heal_out o;
  heal_out_init(&o, 2);
  heal_out_str(&o, "heal: ");
  heal_out_str(&o, a);
  heal_out_str(&o, b);
  heal_out_str(&o, c);
  heal_out_str(&o, "\n");
  heal_out_flush(&o);
}

__attribute__((visibility("default"))) void __heal_register_module(const struct heal_module *m) {
  heal_rt_init();
  if (!m)
    return;
  if (m->abi_version != HEAL_ABI_VERSION) {
    /* A module built by another heal release: its tables cannot be trusted. */
    say("module ", m->source ? m->source : "?",
        " was built for another heal ABI version; rebuild it with this heal-cc (module ignored)");
    return;
  }
  unsigned slot = atomic_fetch_add(&nmodules, 1);
  if (slot < HEAL_MAX_MODULES)
    modules[slot] = m;
  unsigned cur = atomic_load(&max_mode);
  while (m->mode > cur && m->mode <= HEAL_MODE_PATCH &&
         !atomic_compare_exchange_weak(&max_mode, &cur, m->mode))
    ;
}
