/* Execution transactions (docs/transactions.md): the per-thread chain of live transaction
 * frames, the entry points the wrapping pass calls, and what the fault handler needs to
 * abort the innermost transaction.
 *
 * A frame (HEAL_TX_FRAME_SIZE bytes in the transaction function's own stack frame) is a
 * sigjmp_buf followed by struct heal_tx. begin pushes it on the thread's chain (an
 * initial-exec TLS pointer, so the fault handler can read it), commit pops it. A user's
 * longjmp out of a transaction skips its commit: such a frame lies below the stack
 * pointer of whoever looks next (the stack grows down), and is dropped lazily then --
 * by the next begin or commit (as a commit: the program chose to leave it), or by the
 * fault handler (as part of the abort). Both entry points are a TLS load, a few stores
 * and the undo log's watermark: no lock, no system call. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdatomic.h>
#include <stddef.h>

#include "heal/heal.h"
#include "internal.h"
#include "slots.h"
#include "txn.h"

#define API __attribute__((visibility("default")))
#define unlikely(x) __builtin_expect(!!(x), 0)

/* The frame: [sigjmp_buf][struct heal_tx]. */
struct heal_tx {
  struct heal_tx *prev;             /* enclosing live transaction of the thread */
  const struct heal_tx_site *site;
  uint64_t slot_mark;               /* heal_thread.seq at begin */
  uint64_t undo_mark;               /* heal_undo_mark() at begin */
  uint32_t depth;                   /* shadow depth at begin: the caller's */
  uint32_t pad;
  uintptr_t cookie;                 /* checks the frame is intact (heal_tx_intact) */
};

#define TX_OFFSET ((sizeof(sigjmp_buf) + 15u) & ~(size_t)15u)
_Static_assert(TX_OFFSET + sizeof(struct heal_tx) <= HEAL_TX_FRAME_SIZE,
               "struct heal_tx does not fit in HEAL_TX_FRAME_SIZE after the sigjmp_buf");
#define TX_OF(frame) ((struct heal_tx *)((char *)(frame) + TX_OFFSET))

/* glibc mangles the stack pointer and PC it saves (PTR_MANGLE: xor with the pointer guard
 * in the TCB at %fs:0x30, rotate left by 17). */
static uintptr_t demangle(uintptr_t v) {
  uintptr_t guard;
  __asm__("mov %%fs:0x30, %0" : "=r"(guard));
  v = (v >> 0x11) | (v << (64 - 0x11));
  return v ^ guard;
}

static __thread struct heal_tx *tx_top __attribute__((tls_model("initial-exec")));

static inline uint64_t undo_mark(void) { return heal_undo_mark(); }
static inline void undo_commit(uint64_t mark, int outermost) { heal_undo_commit(mark, outermost); }

/* Frames below `limit` were left by a longjmp: commit them, innermost first. */
static __attribute__((noinline, cold)) struct heal_tx *drop_dead(struct heal_tx *top,
                                                                 uintptr_t limit) {
  while (top && (uintptr_t)top < limit) {
    struct heal_tx *prev = top->prev;
    tx_top = prev;
    undo_commit(top->undo_mark, prev == NULL);
    top = prev;
  }
  return top;
}

/* The hot pair: no frame pointer (these never fault and are never unwound through), and
 * the undo log's mark taken first, so little stays live across that call. */
#define HOT __attribute__((optimize("omit-frame-pointer")))

API HOT void __heal_tx_begin(void *frame, const struct heal_tx_site *site) {
  uint64_t um = undo_mark();
  struct heal_tx *tx = TX_OF(frame);
  struct heal_tx *top = tx_top;
  /* A frame at or below the new one's address is dead: the new frame is being made there. */
  if (unlikely(top && (uintptr_t)top <= (uintptr_t)tx))
    top = drop_dead(top, (uintptr_t)tx + 1);
  struct heal_thread *t = heal_self;
  tx->prev = top;
  tx->site = site;
  tx->depth = t ? t->depth : 0;
  tx->slot_mark = t ? t->seq : 0;
  tx->undo_mark = um;
  tx->cookie = (uintptr_t)tx ^ (uintptr_t)site ^ (uintptr_t)top ^ 0x5f5e7c3aa17e4a6dull;
  ((uintptr_t *)frame)[-1] = tx->cookie; /* the guard word below the frame */
  /* Published last: a fault before this aborts the enclosing transaction, which is right
   * (this one has not started). */
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  tx_top = tx;
}

API HOT void __heal_tx_commit(void *frame) {
  struct heal_tx *tx = TX_OF(frame);
  struct heal_tx *top = tx_top;
  if (unlikely(top != tx)) {
    top = drop_dead(top, (uintptr_t)tx);
    if (top != tx)
      return; /* not live any more (cannot happen unless the chain was corrupted) */
  }
  tx_top = tx->prev;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  undo_commit(tx->undo_mark, tx->prev == NULL);
}

struct heal_tx *heal_tx_current(void) { return tx_top; }

int heal_tx_depth(void) {
  int n = 0;
  for (struct heal_tx *tx = tx_top; tx; tx = tx->prev)
    n++;
  return n;
}

/* ---- the abort path (signals.c) -------------------------------------------------------- */

static int cookie_ok(const struct heal_tx *tx) {
  return tx->cookie ==
         ((uintptr_t)tx ^ (uintptr_t)tx->site ^ (uintptr_t)tx->prev ^ 0x5f5e7c3aa17e4a6dull);
}

struct heal_tx *heal_tx_live(uintptr_t sp) {
  struct heal_tx *tx = tx_top;
  while (tx && (uintptr_t)tx < sp) {
    /* Left by a longjmp (its undo entries lie above the live one's mark). Its memory may
     * have been reused since: follow its link only while its check word holds. */
    if (!cookie_ok(tx))
      return 0;
    tx = tx->prev;
  }
  return tx;
}

/* Is the frame still what begin and sigsetjmp left? A buffer overflow in the transaction
 * function could have reached it: then its saved stack pointer no longer lies just below
 * the frame, or the site pointer changed. Jumping through a damaged frame would run
 * arbitrary code, so the fault is not recovered from. */
int heal_tx_intact(const struct heal_tx *tx) {
  if (!cookie_ok(tx))
    return 0;
  if (((const uintptr_t *)((const char *)tx - TX_OFFSET))[-1] != tx->cookie)
    return 0; /* an overflow from below crossed the guard word into the sigjmp_buf */
  const unsigned long *jb = (const unsigned long *)((const char *)tx - TX_OFFSET);
  const sigjmp_buf *env = (const sigjmp_buf *)jb;
  if ((*env)[0].__mask_was_saved != 0)
    return 0;
  uintptr_t sp = demangle(jb[6]);
  return sp < (uintptr_t)tx && (uintptr_t)tx - sp < (1u << 20);
}

const struct heal_tx_site *heal_tx_site_of(const struct heal_tx *tx) { return tx->site; }

int heal_tx_rollback(const struct heal_tx *tx) {
  return heal_undo_rollback(tx->undo_mark);
}

void heal_tx_unwind(struct heal_tx *tx) {
  heal_shadow_abort(tx->depth, tx->slot_mark);
  tx_top = tx->prev;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

_Noreturn void heal_tx_jump(struct heal_tx *tx) {
  siglongjmp(*(sigjmp_buf *)((char *)tx - TX_OFFSET), 1);
}

/* ---- a program's own longjmp out of transactions ------------------------------------------
 * The frames a longjmp leaves are dropped lazily by the next begin/commit; until then, a
 * fault in code that reuses their stack would find them "live". So the shared runtime
 * interposes longjmp & co. (the program binds to them before libc's): frames below the
 * target's stack pointer are dropped first. (Static links rely on the lazy checks and the
 * frame check of the fault handler.) heal's own jumps inside the fault handler pass
 * through too and are left alone. */
#ifdef HEAL_RT_SHARED
#include <dlfcn.h>

typedef void (*jump_fn)(struct __jmp_buf_tag *, int);
static jump_fn real_longjmp, real__longjmp, real_siglongjmp, real_longjmp_chk;

__attribute__((constructor)) static void resolve_jumps(void) {
  real_longjmp = (jump_fn)dlsym(RTLD_NEXT, "longjmp");
  real__longjmp = (jump_fn)dlsym(RTLD_NEXT, "_longjmp");
  real_siglongjmp = (jump_fn)dlsym(RTLD_NEXT, "siglongjmp");
  real_longjmp_chk = (jump_fn)dlsym(RTLD_NEXT, "__longjmp_chk");
}

static void leaving(struct __jmp_buf_tag *env) {
  struct heal_tx *top = tx_top;
  if (!top || heal_reporting())
    return;
  uintptr_t sp = demangle(env->__jmpbuf[6]);
  if ((uintptr_t)top < sp)
    drop_dead(top, sp);
}

static _Noreturn void jump(jump_fn real, struct __jmp_buf_tag *env, int val) {
  leaving(env);
  if (!real)
    real = real_siglongjmp ? real_siglongjmp : real_longjmp;
  real(env, val);
  __builtin_unreachable();
}

API _Noreturn void longjmp(struct __jmp_buf_tag env[1], int val) { jump(real_longjmp, env, val); }
API _Noreturn void _longjmp(struct __jmp_buf_tag env[1], int val) { jump(real__longjmp, env, val); }
API _Noreturn void siglongjmp(struct __jmp_buf_tag env[1], int val) {
  jump(real_siglongjmp, env, val);
}
API _Noreturn void __longjmp_chk(struct __jmp_buf_tag env[1], int val) {
  jump(real_longjmp_chk, env, val);
}
#endif

/* ---- per-site counts (reports are rate-limited per site) -------------------------------- */

#define NCOUNTS 1024u
static struct {
  _Atomic(const struct heal_tx_site *) site;
  atomic_ullong recoveries;
  atomic_ullong reported;
} counts[NCOUNTS];
static atomic_uint counts_overflow;

uint64_t heal_tx_count(const struct heal_tx_site *site, int *slot) {
  unsigned h = (unsigned)(((uintptr_t)site >> 4) * 2654435761u) % NCOUNTS;
  for (unsigned i = 0; i < NCOUNTS; i++) {
    unsigned j = (h + i) % NCOUNTS;
    const struct heal_tx_site *cur = atomic_load(&counts[j].site);
    if (!cur) {
      const struct heal_tx_site *expected = NULL;
      if (atomic_compare_exchange_strong(&counts[j].site, &expected, site))
        cur = site;
      else
        cur = expected;
    }
    if (cur == site) {
      *slot = (int)j;
      return atomic_fetch_add(&counts[j].recoveries, 1) + 1;
    }
  }
  atomic_fetch_add(&counts_overflow, 1);
  *slot = -1;
  return 1;
}

void heal_tx_reported(int slot) {
  if (slot >= 0)
    atomic_fetch_add(&counts[slot].reported, 1);
}

/* At exit: one line per site whose reports were rate-limited. */
__attribute__((destructor)) static void tx_summary(void) {
  for (unsigned j = 0; j < NCOUNTS; j++) {
    const struct heal_tx_site *s = atomic_load(&counts[j].site);
    if (!s)
      continue;
    unsigned long long n = atomic_load(&counts[j].recoveries);
    unsigned long long r = atomic_load(&counts[j].reported);
    if (n == r)
      continue;
    struct heal_out o;
    heal_out_init(&o, 2);
    heal_out_str(&o, "heal: transaction ");
    heal_out_str(&o, s->function);
    heal_out_str(&o, " recovered ");
    heal_out_dec(&o, (long long)n);
    heal_out_str(&o, " times; ");
    heal_out_dec(&o, (long long)r);
    heal_out_str(&o, " reported (the first " );
    heal_out_dec(&o, HEAL_TX_REPORT_FULL);
    heal_out_str(&o, ", then the 2^k-th)\n");
    heal_out_flush(&o);
  }
}
