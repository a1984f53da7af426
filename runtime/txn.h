/* Runtime-internal contract between transactions (txn.c) and the undo log (undo.c).
 * Hidden visibility like internal.h. [AS-safe] functions run inside the fault handler. */
#ifndef HEAL_RT_TXN_H
#define HEAL_RT_TXN_H

#include <stddef.h>
#include <stdint.h>

#include "heal/heal.h"

struct heal_tx_site;

/* ---- undo.c --------------------------------------------------------------------------- */
/* Per-thread state. cur and limit come first: they are the whole fast path, and the
 * layout instrumented code knows (heal.h, HEAL_RT_UNDO_TLS). */
struct undo_state {
  char *cur;   /* next free byte; the mark is cur - base */
  char *limit; /* an append must end at or below this; NULL until reserved */
  char *base;
  /* Nonzero when the inline fast paths must call the runtime (one load instead of
   * comparing pend/end/overflow/nfree/...): the transaction entry tests the first two bytes, the
   * inline outermost commit the whole word. Each byte is written on its own, never
   * read-modified-written, so a write by the fault handler (rollback) cannot be lost. */
  union {
    uint64_t attn;
    uint8_t attn_b[8]; /* [UNDO_ATTN_*] */
  };
  char *end;
  char *pend;         /* pending frees: void * entries in [pend, end), pushed downwards */
  uint64_t nalloc;    /* ALLOC records in the log */
  uint64_t nfree;     /* FREE records in the log: the outermost commit walks it if > 0 */
  uint64_t overflow;  /* 0, or 1 + the mark at which a write did not fit */
  uint64_t high;      /* highest cur - base seen by a rollback or commit since the last trim */
  int state;          /* 0 unreserved, 1 reserved, 2 reservation failed */
};

/* attn bytes. PEND: pending frees to drain (pend != end). OVERFLOW: overflow != 0.
 * COMMIT: an outermost commit must run the runtime's truncation (FREE/ALLOC records were
 * logged, or a rollback saw the log grow past UNDO_KEEP_BYTES). */
enum { UNDO_ATTN_PEND = 0, UNDO_ATTN_OVERFLOW = 1, UNDO_ATTN_COMMIT = 2 };
/* After the outermost commit, log pages above this are given back to the kernel; the
 * inline commit (heal.h) truncates a log at most this long itself. */
#define UNDO_KEEP_BYTES HEAL_UNDO_INLINE_MAX

_Static_assert(offsetof(struct undo_state, attn) == HEAL_UNDO_ATTN_OFFSET, "heal.h: attn");
_Static_assert(offsetof(struct undo_state, base) == 16, "heal.h: base");

extern __thread struct undo_state __heal_undo_tls __attribute__((tls_model("initial-exec")));

/* Current watermark of this thread's undo log (0 when empty), after draining pending
 * frees (the transaction entry reads cur inline instead: struct heal_tx's undo_cur). */
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
