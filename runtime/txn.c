/* Execution transactions (docs/transactions.md): the per-thread chain of live transaction
 * frames, the entry points the wrapping pass calls, and what the fault handler needs to
 * abort the innermost transaction.
 *
 * A frame (HEAL_TX_FRAME_SIZE bytes in the transaction function's own stack frame) is
 * the saved registers followed by struct heal_tx. The entry is inline assembly in the
 * program (lib/Transaction.cpp, heal.h: heal's own setjmp, no call): it saves the
 * registers, fills struct heal_tx and pushes it on the thread's chain (__heal_tx_top, an
 * initial-exec TLS pointer, so the fault handler and the inline commit can read it);
 * __heal_tx_enter_slow below does the push when something needs doing first. The common
 * commit is inline in the program too (heal.h); __heal_tx_commit is its slow path. A
 * user's longjmp out of a transaction skips its commit: such a frame lies below the stack
 * pointer of whoever looks next (the stack grows down), and is dropped lazily then -- by
 * the next enter or commit (as a commit: the program chose to leave it), or by the fault
 * handler (as part of the abort). No lock, no system call. */
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

/* The frame: [saved registers][gap][struct heal_tx at HEAL_TX_OFFSET]. The registers come
 * first and the transaction's state last, with a gap between them: an overflow from below
 * (the body's frame) crosses the guard word, then the registers, long before it reaches
 * the site and chain links the fault handler reads to report which transaction it was. */
struct heal_tx_regs {
  uintptr_t rbx, rbp, r12, r13, r14, r15, rsp, pc; /* sp, bp and pc mangled (demangle()) */
};
struct heal_tx {
  struct heal_tx *prev;             /* enclosing live transaction of the thread (heal.h) */
  const struct heal_tx_site *site;
  uint64_t slot_mark;               /* heal_thread.seq at enter (0 without heal_self) */
  char *undo_cur;                   /* the undo log's cur at enter: the mark (undo_mark()) */
  uint32_t depth;                   /* shadow depth at enter: the caller's (0 without) */
  uint32_t pad;
  uintptr_t cookie;                 /* checks the frame is intact (heal_tx_intact) */
};
/* The inline entry (lib/Transaction.cpp) writes them at the offsets heal.h gives. */
_Static_assert(offsetof(struct heal_tx_regs, rsp) == 48 && offsetof(struct heal_tx_regs, pc) == 56,
               "the entry's register offsets");
_Static_assert(offsetof(struct heal_tx, prev) == HEAL_TX_F_PREV &&
                   offsetof(struct heal_tx, site) == HEAL_TX_F_SITE &&
                   offsetof(struct heal_tx, slot_mark) == HEAL_TX_F_SLOT &&
                   offsetof(struct heal_tx, undo_cur) == HEAL_TX_F_UNDO &&
                   offsetof(struct heal_tx, depth) == HEAL_TX_F_DEPTH &&
                   offsetof(struct heal_tx, cookie) == HEAL_TX_F_COOKIE,
               "heal.h HEAL_TX_F_*: the inline entry's struct heal_tx offsets");
/* It reads the Oracle's thread state (slots.h, exported as HEAL_RT_SELF) and the undo
 * log's attn word. */
_Static_assert(offsetof(struct heal_thread, depth) == HEAL_THREAD_DEPTH &&
                   offsetof(struct heal_thread, seq) == HEAL_TX_THREAD_SEQ,
               "struct heal_thread moved depth or seq: update heal.h (the inline entry reads them)");
_Static_assert(UNDO_ATTN_PEND == 0 && UNDO_ATTN_OVERFLOW == 1,
               "the inline entry tests the first two bytes of attn");
_Static_assert(sizeof(struct heal_tx_regs) <= HEAL_TX_OFFSET &&
                   HEAL_TX_OFFSET + sizeof(struct heal_tx) <= HEAL_TX_FRAME_SIZE,
               "struct heal_tx does not fit in HEAL_TX_FRAME_SIZE");
#define TX_OF(frame) ((struct heal_tx *)((char *)(frame) + HEAL_TX_OFFSET))
#define REGS_OF(tx) ((struct heal_tx_regs *)((char *)(tx) - HEAL_TX_OFFSET))

/* Saved stack pointer, frame pointer and resume point are mangled like glibc's setjmp
 * does (PTR_MANGLE: xor with the per-process random pointer guard in the TCB at %fs:0x30,
 * rotate left by 17), so an attacker who can write the frame cannot aim the abort's jump
 * without knowing the guard. The same demangling reads glibc's own jmp_bufs (longjmp
 * interposition below). */
static uintptr_t pointer_guard(void) {
  uintptr_t guard;
  __asm__("mov %%fs:0x30, %0" : "=r"(guard));
  return guard;
}

static uintptr_t demangle(uintptr_t v) {
  v = (v >> 0x11) | (v << (64 - 0x11));
  return v ^ pointer_guard();
}

/* The check word: the frame's address, site and link, keyed with the pointer guard (a
 * per-process secret), stored in the frame and just below it. */
static uintptr_t cookie_of(const struct heal_tx *tx, const struct heal_tx_site *site,
                           const struct heal_tx *prev) {
  return (uintptr_t)tx ^ (uintptr_t)site ^ (uintptr_t)prev ^ pointer_guard();
}

API __thread struct heal_tx *__heal_tx_top __attribute__((tls_model("initial-exec")));
#define tx_top __heal_tx_top
#define U __heal_undo_tls

static inline void undo_commit(uint64_t mark, int outermost) { heal_undo_commit(mark, outermost); }

/* Frames below `limit` were left by a longjmp: commit them, innermost first. */
static __attribute__((noinline, cold)) struct heal_tx *drop_dead(struct heal_tx *top,
                                                                 uintptr_t limit) {
  while (top && (uintptr_t)top < limit) {
    struct heal_tx *prev = top->prev;
    tx_top = prev;
    undo_commit(0, prev == NULL);
    top = prev;
  }
  return top;
}

/* The undo log before an outermost transaction: anything in it (pending frees of an
 * aborted transaction, a stale overflow mark, entries of frames a longjmp left) belongs to
 * no live transaction, so it is cleaned up as by an outermost commit. (The inline commit
 * leaves the log alone when it is empty, so that cleanup happens here.) */
static __attribute__((noinline, cold)) void undo_settle(void) { heal_undo_commit(0, 1); }

/* The inline entry saved the registers but found something to do first: dead frames to
 * drop (a frame at or below the new one's address), frees to run, or the undo log to
 * settle before an outermost transaction (a stale overflow mark; leftover entries of
 * frames a longjmp left are truncated here too, though the inline entry leaves them to the
 * next outermost commit, which runs what they defer). Fills and pushes the frame as the
 * entry does. */
API void __heal_tx_enter_slow(void *frame, const struct heal_tx_site *site) {
  struct heal_tx *tx = TX_OF(frame);
  struct heal_tx *top = tx_top;
  if (top && (uintptr_t)top <= (uintptr_t)tx)
    top = drop_dead(top, (uintptr_t)tx + 1);
  if (!top) {
    if (U.cur != U.base || U.attn)
      undo_settle();
  } else if (U.pend != U.end) {
    heal_undo_drain();
  }
  struct heal_thread *t = heal_self;
  tx->prev = top;
  tx->site = site;
  tx->undo_cur = U.cur;
  tx->depth = t ? t->depth : 0;
  tx->slot_mark = t ? t->seq : 0;
  uintptr_t cookie = cookie_of(tx, site, top);
  tx->cookie = cookie;
  ((uintptr_t *)REGS_OF(tx))[-1] = cookie; /* the guard word below the frame */
  /* Published last: a fault before this aborts the enclosing transaction, which is right
   * (this one has not started). */
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  tx_top = tx;
}

/* heal_tx_resume(regs) (the abort): restores the registers the entry saved and jumps to
 * its resume point with eax = 1. */
__asm__(".text\n"
        ".globl heal_tx_resume\n"
        ".hidden heal_tx_resume\n"
        ".type heal_tx_resume,@function\n"
        ".p2align 4\n"
        "heal_tx_resume:\n"
        ".cfi_startproc\n"
        "  mov %fs:0x30, %rdx\n"
        "  mov (%rdi), %rbx\n"
        "  mov 16(%rdi), %r12\n"
        "  mov 24(%rdi), %r13\n"
        "  mov 32(%rdi), %r14\n"
        "  mov 40(%rdi), %r15\n"
        "  mov 8(%rdi), %rax\n"
        "  ror $0x11, %rax\n"
        "  xor %rdx, %rax\n"
        "  mov 48(%rdi), %rsi\n"
        "  ror $0x11, %rsi\n"
        "  xor %rdx, %rsi\n"
        "  mov 56(%rdi), %rcx\n"
        "  ror $0x11, %rcx\n"
        "  xor %rdx, %rcx\n"
        "  mov %rax, %rbp\n"
        "  mov %rsi, %rsp\n"
        "  mov $1, %eax\n"
        "  jmp *%rcx\n"
        ".cfi_endproc\n"
        ".size heal_tx_resume, .-heal_tx_resume\n");
_Noreturn void heal_tx_resume(struct heal_tx_regs *regs);

/* The slow path of the inline commit (heal.h): the frame is not the top (frames a longjmp
 * left lie above it), or an outermost transaction logged something. */
API void __heal_tx_commit(void *frame) {
  struct heal_tx *tx = TX_OF(frame);
  struct heal_tx *top = tx_top;
  if (unlikely(top != tx)) {
    top = drop_dead(top, (uintptr_t)tx);
    if (top != tx)
      return; /* not live any more (cannot happen unless the chain was corrupted) */
  }
  tx_top = tx->prev;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  undo_commit(0, tx->prev == NULL);
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
  return tx->cookie == cookie_of(tx, tx->site, tx->prev);
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

/* Is the frame still what enter left? A buffer overflow in the transaction function could
 * have reached it: then its check word or the guard word below it changed, or its saved
 * stack pointer no longer lies just below the frame. Jumping through a damaged frame would
 * run arbitrary code, so the fault is not recovered from. */
int heal_tx_intact(const struct heal_tx *tx) {
  if (!cookie_ok(tx))
    return 0;
  const struct heal_tx_regs *regs = REGS_OF(tx);
  if (((const uintptr_t *)regs)[-1] != tx->cookie)
    return 0; /* an overflow from below crossed the guard word into the frame */
  uintptr_t sp = demangle(regs->rsp);
  return sp < (uintptr_t)tx && (uintptr_t)tx - sp < (1u << 20);
}

const struct heal_tx_site *heal_tx_site_of(const struct heal_tx *tx) { return tx->site; }

/* The frame's undo mark: cur - base at enter (0 if the log was not reserved yet; it never
 * moves once reserved). */
static uint64_t undo_mark(const struct heal_tx *tx) {
  return tx->undo_cur ? (uint64_t)(tx->undo_cur - U.base) : 0;
}

int heal_tx_rollback(const struct heal_tx *tx) {
  return heal_undo_rollback(undo_mark(tx));
}

void heal_tx_unwind(struct heal_tx *tx) {
  heal_shadow_abort(tx->depth, tx->slot_mark);
  tx_top = tx->prev;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

_Noreturn void heal_tx_jump(struct heal_tx *tx) { heal_tx_resume(REGS_OF(tx)); }

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
