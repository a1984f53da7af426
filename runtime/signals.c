/* Fault handlers: which signals are ours, chaining the others, reporting, dying.
 *
 * Installed for SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP and SIGABRT with
 * SA_SIGINFO | SA_ONSTACK | SA_NODEFER: on the per-thread alternate stack (threads.c), and
 * without blocking the signal, so a fault inside the handler re-enters it (caught by the
 * guard below) and later recovery code can siglongjmp out of it.
 *
 * Everything reachable from heal_on_signal is async-signal-safe: system calls, the
 * runtime's own formatting, libgcc's unwinder (prepared at init), no malloc, no stdio. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "internal.h"
#include "slots.h"
#include "txn.h"

static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT};
static struct sigaction previous[NSIG]; /* what was installed before us */

sigjmp_buf heal_guard_env;
volatile sig_atomic_t heal_guard_active;

/* Thread id of the thread writing a report, 0 if none: a report lock that also tells a
 * fault inside the handler from a fault in another thread. */
static atomic_long report_owner;
static volatile sig_atomic_t report_sig;

static struct heal_event event; /* one report at a time (report_owner), too big for a stack */

/* Last fault handed to a previous handler, per thread slot: a fault that comes back
 * unchanged right away was not resolved by that handler and is reported as ours. */
struct chained {
  long tid;
  int sig;
  uintptr_t pc, addr;
  long long when_ns;
};
static struct chained last_chained[64];

static int is_function(const struct sigaction *sa) {
  return sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN;
}

static void unblock(int sig) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Die of `sig` exactly as without heal: default action, signal unblocked, sent to this
 * thread. For a fault the core dump shows the handler frames above the signal frame. */
static _Noreturn void die_of(int sig) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  unblock(sig);
  syscall(SYS_tgkill, getpid(), heal_gettid(), sig);
  _exit(128 + sig); /* only if the signal was suppressed (e.g. by a tracer) */
}

/* Hand the signal to the handler that was installed before ours. */
static void chain(int sig, siginfo_t *si, void *uc) {
  const struct sigaction *p = &previous[sig];
  if (p->sa_handler == SIG_IGN)
    return;
  if (p->sa_handler == SIG_DFL)
    die_of(sig); /* all six signals terminate by default */
  if (p->sa_flags & SA_SIGINFO)
    p->sa_sigaction(sig, si, uc);
  else
    p->sa_handler(sig);
}

/* Synchronous faults raised by the CPU (si_code > 0) are ours, and so is SIGABRT sent by
 * this process to itself (abort(), assert()). Signals sent with kill/raise/sigqueue
 * (si_code <= 0) are someone's message, not a fault: they go to the previous disposition. */
static int is_fault(int sig, const siginfo_t *si) {
  if (si->si_code > 0)
    return 1;
  return sig == SIGABRT && si->si_pid == getpid();
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* A fault the previous handler may expect (a garbage collector's write barrier, a JIT's
 * null check): give it the first chance. If it returns without resolving the fault, the
 * instruction faults again at once: the same fault within a millisecond is ours. (The
 * same fault later, e.g. after a collector protected the page again, is chained again.) */
static int chain_first(int sig, siginfo_t *si, const ucontext_t *uc, long tid) {
  if (si->si_code <= 0 || !is_function(&previous[sig]))
    return 0;
  struct chained *c = &last_chained[tid & 63];
  uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  uintptr_t addr = (uintptr_t)si->si_addr;
  long long now = now_ns();
  if (c->tid == tid && c->sig == sig && c->pc == pc && c->addr == addr &&
      now - c->when_ns < 1000000)
    return 0;
  c->tid = tid;
  c->sig = sig;
  c->pc = pc;
  c->addr = addr;
  c->when_ns = now;
  return 1;
}

static const char *base_kind(int sig) {
  switch (sig) {
  case SIGSEGV: return "segv";
  case SIGBUS: return "bus";
  case SIGFPE: return "fpe";
  case SIGILL: return "ill";
  case SIGTRAP: return "trap";
  default: return "abort";
  }
}

/* Stack exhaustion: the stack pointer itself is no longer readable (it moved into the
 * guard area) and the fault is around it, or a push/call just below a valid stack
 * pointer hit the guard. A stray pointer far from the stack pointer is an ordinary segv. */
static int is_stack_overflow(uintptr_t addr, uintptr_t sp) {
  const uintptr_t below = 64 * 1024, above = 1024 * 1024;
  volatile int sp_readable = 0;
  HEAL_GUARDED((void)*(volatile const char *)sp; sp_readable = 1);
  if (addr < sp)
    return sp - addr <= below;
  return !sp_readable && addr - sp <= above;
}

/* abort() and assert(): the signal is raised a few libc-internal frames below abort();
 * report from abort() on (or from raise() for a raise(SIGABRT)), so `function` and the
 * stack start where the program gave up. */
static int find_frame(const struct heal_event *ev, const char *name) {
  for (int i = 0; i < ev->nframes && i < 8; i++)
    if (ev->frames[i].function && heal_streq(ev->frames[i].function, name))
      return i;
  return -1;
}

static void trim_to_abort(struct heal_event *ev) {
  int i = find_frame(ev, "abort");
  if (i < 0)
    i = find_frame(ev, "raise");
  if (i <= 0)
    return;
  for (int j = i; j < ev->nframes; j++)
    ev->frames[j - i] = ev->frames[j];
  ev->nframes -= i;
}

/* heal-tx moves a transaction's body to F.heal_body (F.heal_body.heal_tx once the undo
 * log cloned it), called by F: show the pair as one frame F (the body's pc, the wrapper's
 * name). */
static void fold_tx_bodies(struct heal_event *ev) {
  static const char suffix[] = ".heal_body";
  const size_t sl = sizeof suffix - 1;
  for (int i = 0; i + 1 < ev->nframes; i++) {
    const char *b = ev->frames[i].function, *w = ev->frames[i + 1].function;
    if (!b || !w)
      continue;
    size_t bl = heal_strlen(b), wl = heal_strlen(w);
    if (bl < wl + sl)
      continue;
    int same = 1;
    for (size_t k = 0; k < wl + sl && same; k++)
      same = b[k] == (k < wl ? w[k] : suffix[k - wl]);
    same = same && (b[wl + sl] == '\0' || b[wl + sl] == '.');
    if (!same)
      continue;
    ev->frames[i].function = w;
    for (int j = i + 1; j + 1 < ev->nframes; j++)
      ev->frames[j] = ev->frames[j + 1];
    ev->nframes--;
  }
}

/* A body frame without its wrapper below it (the unwinder stopped: a smashed return
 * address) keeps its source name too, and so does a callee's transactional clone. One
 * event at a time (the report lock). */
static char body_names[HEAL_MAX_FRAMES][128];

static void name_tx_bodies(struct heal_event *ev) {
  /* F.heal_body, and g.heal_tx (heal-undo's clone of a callee g): both are F or g in the
   * source. */
  static const char *const suffixes[] = {".heal_body", HEAL_TX_CLONE_SUFFIX};
  for (int i = 0; i < ev->nframes; i++) {
    const char *b = ev->frames[i].function;
    if (!b)
      continue;
    size_t cut = 0;
    for (size_t k = 1; b[k] && !cut; k++)
      for (size_t s = 0; s < sizeof suffixes / sizeof suffixes[0] && !cut; s++) {
        const char *suf = suffixes[s];
        size_t m = 0;
        while (suf[m] && b[k + m] == suf[m])
          m++;
        if (!suf[m] && (b[k + m] == '\0' || b[k + m] == '.'))
          cut = k;
      }
    if (!cut || cut >= sizeof body_names[i])
      continue;
    for (size_t j = 0; j < cut; j++)
      body_names[i][j] = b[j];
    body_names[i][cut] = '\0';
    ev->frames[i].function = body_names[i];
  }
}

static void describe(int sig, siginfo_t *si, const ucontext_t *uc, struct heal_event *ev) {
  uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
  memset(ev, 0, sizeof *ev);
  ev->sig = sig;
  ev->code = si->si_code;
  ev->has_address = si->si_code > 0 && si->si_code != SI_KERNEL;
  ev->address = ev->has_address ? (uintptr_t)si->si_addr : 0;
  ev->pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  ev->kind = base_kind(sig);
  heal_oracle_describe(si, uc, ev); /* a guard of a buffer: names the buffer and the kind */
  if (sig == SIGSEGV && ev->has_address && !ev->region && is_stack_overflow(ev->address, sp))
    ev->kind = "stack-overflow";
  ev->action = "terminated";
  ev->nframes = 0;
  ev->nframes = heal_unwind(uc, ev->frames, HEAL_MAX_FRAMES);
  heal_symbolize_begin();
  for (int i = 0; i < ev->nframes; i++) {
    ev->frames[i].function = 0;
    ev->frames[i].object = 0;
    ev->frames[i].has_offset = 0;
    HEAL_GUARDED(heal_symbolize(&ev->frames[i]));
  }
  fold_tx_bodies(ev);
  name_tx_bodies(ev);
  if (sig == SIGABRT) {
    trim_to_abort(ev);
    if (ev->nframes > 0)
      ev->pc = ev->frames[0].pc;
  }
}

int heal_reporting(void) { return atomic_load(&report_owner) == heal_gettid(); }

/* ---- patch: aborting transactions ------------------------------------------------------ */

/* Report the first HEAL_TX_REPORT_FULL recoveries of a transaction, then the 2^k-th. */
static int report_due(uint64_t n) { return n <= HEAL_TX_REPORT_FULL || (n & (n - 1)) == 0; }

/* Why the fault cannot be recovered from (after rolling back), or NULL. */
static const char *cannot_recover(struct heal_tx *tx) {
  struct heal_thread *t = heal_self;
  if (!heal_tx_intact(tx))
    return "the transaction's saved state was overwritten (by a buffer overflow?)";
  if (t && t->busy)
    return "the fault came from inside heal's slot allocator, whose state cannot be restored";
  volatile int rolled = -2;
  HEAL_GUARDED(rolled = heal_tx_rollback(tx));
  if (rolled == -2) /* the memory to restore is gone (an unmapped or truncated mapping) */
    return "undoing the transaction's writes faulted, so they could not all be undone";
  if (rolled != 0)
    return "the undo log overflowed, so the transaction's writes could not all be undone";
  return 0;
}

/* The function the transaction returns to: the machine frame after the innermost frame of
 * the transaction function. */
static const char *caller_of(const struct heal_event *ev, const char *fn) {
  for (int i = 0; i + 1 < ev->nframes; i++)
    if (ev->frames[i].function && heal_streq(ev->frames[i].function, fn))
      return ev->frames[i + 1].function;
  return 0;
}

static void mark_recovered(struct heal_event *ev, const struct heal_tx_site *site, uint64_t n) {
  ev->action = "recovered";
  ev->transaction = site->function;
  ev->return_value = site->return_value;
  ev->recoveries = n;
  ev->caller = caller_of(ev, site->function);
}

/* Leave the handler (or the runtime's report) for the transaction's abort path: its shadow
 * frames and slots are dropped, the report lock released, and the fault signals unblocked
 * (abort() unblocks SIGABRT before raising it; nothing else may stay blocked after the
 * jump, which restores no signal mask). */
static _Noreturn void resume(struct heal_tx *tx) {
  heal_tx_unwind(tx);
  atomic_store(&report_owner, 0);
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof fault_signals / sizeof fault_signals[0]; i++)
    sigaddset(&set, fault_signals[i]);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  heal_tx_jump(tx);
}

static void heal_on_signal(int sig, siginfo_t *si, void *ucv) {
  int saved_errno = errno;
  const ucontext_t *uc = ucv;
  long tid = heal_gettid();

  if (atomic_load(&report_owner) == tid && si->si_code > 0) {
    /* A fault inside our own handler: resume the guarded step that faulted, or give up
     * on the report and die of the signal we were reporting. */
    if (heal_guard_active) {
      heal_guard_active = 0;
      siglongjmp(heal_guard_env, 1);
    }
    die_of(report_sig);
  }
  if (!is_fault(sig, si) || chain_first(sig, si, uc, tid)) {
    chain(sig, si, ucv);
    errno = saved_errno;
    return;
  }

  long expected = 0;
  while (!atomic_compare_exchange_weak(&report_owner, &expected, tid)) {
    expected = 0; /* another thread is reporting; the process dies when it is done */
    syscall(SYS_sched_yield);
  }
  report_sig = sig;
  struct heal_tx *tx = heal_tx_live((uintptr_t)uc->uc_mcontext.gregs[REG_RSP]);
  if (tx) {
    /* Patch: abort the innermost transaction. Only the reports that are written need the
     * (slow) description, so a fault storm costs a signal and a rollback per abort. */
    const struct heal_tx_site *site = heal_tx_site_of(tx);
    int slot;
    uint64_t n = heal_tx_count(site, &slot);
    int full = report_due(n);
    if (full)
      describe(sig, si, uc, &event);
    const char *why = cannot_recover(tx);
    if (why) {
      if (!full)
        describe(sig, si, uc, &event);
      event.transaction = site->function;
      event.return_value = site->return_value;
      event.note = why;
      heal_report_write(&event);
      die_of(sig);
    }
    if (full) {
      mark_recovered(&event, site, n);
      heal_report_write(&event);
      heal_tx_reported(slot);
    }
    resume(tx);
  }
  describe(sig, si, uc, &event);
  heal_report_write(&event);
  if (sig == SIGABRT && is_function(&previous[SIGABRT])) {
    /* abort() with a handler installed before ours (flushing a log, say): it still runs;
     * if it returns, abort() itself restores the default action and dies. */
    atomic_store(&report_owner, 0);
    chain(sig, si, ucv);
    errno = saved_errno;
    return;
  }
  die_of(sig);
}

/* Reports the runtime raises itself, outside any signal handler (a double free, a
 * corrupted canary found when a buffer is released): same lock, same writer, and the
 * process dies of `sig` as if the fault had been raised. */
struct heal_event *heal_report_begin(void) {
  long tid = heal_gettid();
  long expected = 0;
  if (atomic_load(&report_owner) == tid)
    die_of(SIGABRT); /* reporting already (a misuse found while writing a report) */
  while (!atomic_compare_exchange_weak(&report_owner, &expected, tid)) {
    expected = 0;
    syscall(SYS_sched_yield);
  }
  report_sig = SIGABRT;
  memset(&event, 0, sizeof event);
  return &event;
}

_Noreturn void heal_report_finish(int sig) {
  report_sig = sig;
  fold_tx_bodies(&event);
  name_tx_bodies(&event);
  struct heal_tx *tx = heal_tx_live((uintptr_t)__builtin_frame_address(0));
  if (tx) { /* a misuse found inside a transaction aborts it like a fault */
    const struct heal_tx_site *site = heal_tx_site_of(tx);
    const char *why = cannot_recover(tx);
    if (why) {
      event.transaction = site->function;
      event.return_value = site->return_value;
      event.note = why;
    } else {
      int slot;
      uint64_t n = heal_tx_count(site, &slot);
      if (report_due(n)) {
        mark_recovered(&event, site, n);
        heal_report_write(&event);
        heal_tx_reported(slot);
      }
      resume(tx);
    }
  }
  heal_report_write(&event);
  die_of(sig);
}

void heal_signals_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = heal_on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  for (size_t i = 0; i < sizeof fault_signals / sizeof fault_signals[0]; i++)
    sigaction(fault_signals[i], &sa, &previous[fault_signals[i]]);
}
