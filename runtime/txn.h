/* Runtime-internal contract between transactions (txn.c) and the undo log (undo.c).
 * Hidden visibility like internal.h. [AS-safe] functions run inside the fault handler. */
#ifndef HEAL_RT_TXN_H
#define HEAL_RT_TXN_H

#include <stdint.h>

struct heal_tx_site;

/* ---- undo.c --------------------------------------------------------------------------- */
/* Per-thread state. cur and limit come first: they are the whole fast path, and the
 * layout instrumented code knows (heal.h, HEAL_RT_UNDO_TLS). */
struct undo_state {
  char *cur;   /* next free byte; the mark is cur - base */
  char *limit; /* an append must end at or below this; NULL until reserved */
  char *base;
  char *end;
  char *pend;         /* pending frees: void * entries in [pend, end), pushed downwards */
  uint64_t nalloc;    /* ALLOC records in the log */
  uint64_t nfree;     /* FREE records in the log: the outermost commit walks it if > 0 */
  uint64_t overflow;  /* 0, or 1 + the mark at which a write did not fit */
  uint64_t high;      /* highest cur - base seen by a rollback or commit since the last trim */
  int state;          /* 0 unreserved, 1 reserved, 2 reservation failed */
};

extern __thread struct undo_state __heal_undo_tls __attribute__((tls_model("initial-exec")));

/* Current watermark of this thread's undo log (0 when empty). Recorded by __heal_tx_enter
 * (inline: cur - base, after draining pending frees). */
uint64_t heal_undo_mark(void);
void heal_undo_drain(void); /* normal context: free what aborted transactions allocated */
/* [AS-safe] Undo every logged write newer than `mark`, newest first, free what the aborted
 * part allocated and forget the frees it deferred. Returns 0, or -1 if the log overflowed
 * since `mark` (memory could not be fully restored: the caller terminates instead). */
int heal_undo_rollback(uint64_t mark);
/* A transaction whose frame recorded `mark` committed. If it was the outermost one of the
 * thread, the log is truncated and deferred frees run; else entries stay for the parent. */
void heal_undo_commit(uint64_t mark, int outermost);

/* ---- txn.c ---------------------------------------------------------------------------- */
/* Innermost live transaction of this thread, or NULL ([AS-safe]). */
struct heal_tx;
struct heal_tx *heal_tx_current(void);
int heal_tx_depth(void); /* live transactions on this thread */

/* The abort path (signals.c), all [AS-safe]. */
#define HEAL_TX_REPORT_FULL 10 /* per site: the first reports in full, then the 2^k-th */
/* Innermost live transaction for code whose stack pointer is `sp` (frames below it were
 * left by a longjmp and are skipped), or NULL. */
struct heal_tx *heal_tx_live(uintptr_t sp);
const struct heal_tx_site *heal_tx_site_of(const struct heal_tx *tx);
int heal_tx_intact(const struct heal_tx *tx); /* 0: overwritten, do not jump to it */
int heal_tx_rollback(const struct heal_tx *tx); /* heal_undo_rollback to its mark: 0 or -1 */
/* Drop the shadow frames and guarded slots above the transaction, pop it. */
void heal_tx_unwind(struct heal_tx *tx);
_Noreturn void heal_tx_jump(struct heal_tx *tx); /* siglongjmp to its frame */
/* Count one recovery of `site`: returns the per-run count; *slot for heal_tx_reported. */
uint64_t heal_tx_count(const struct heal_tx_site *site, int *slot);
void heal_tx_reported(int slot);
int heal_reporting(void); /* signals.c: this thread holds the report lock (in the handler) */

/* ---- shadow.c (for txn.c) ------------------------------------------------------------- */
/* [AS-safe] Shadow depth back to `depth`; release the stack slots of deeper frames and
 * those allocated since `mark`, without canary checks (the recovered fault may have hit
 * them) and making faulted ones reusable (their frames are gone). */
void heal_shadow_abort(uint32_t depth, uint64_t mark);

#endif
