/* Runtime-internal contract between transactions (txn.c) and the undo log (undo.c).
 * Hidden visibility like internal.h. [AS-safe] functions run inside the fault handler. */
#ifndef HEAL_RT_TXN_H
#define HEAL_RT_TXN_H

#include <stdint.h>

/* ---- undo.c --------------------------------------------------------------------------- */
/* Current watermark of this thread's undo log (0 when empty). Recorded by __heal_tx_begin. */
uint64_t heal_undo_mark(void);
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

#endif
