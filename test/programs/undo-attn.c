// The undo log's attention word (runtime/txn.h: the fourth word of __heal_undo_tls), which
// the inline fast paths test instead of the log's fields: the transaction entry takes its slow
// path while frees are pending (blocks an aborted transaction allocated), and an outermost
// commit calls the runtime while the log holds allocation or free records, and truncates a
// log of plain memory entries inline otherwise.
//  - make(1) allocates a block and faults: the block is pending (still in use), attn's
//    first byte (PEND) is set, and its third (COMMIT: the log held an allocation record).
//    noop() neither allocates nor logs (rollback off): its enter alone frees the block
//    and, outermost, settles the log (attn 0). Nested inside outer(), the enter only
//    drains (PEND cleared; COMMIT stays for outer's commit).
//  - make(0) commits an allocation, drop() a free (deferred to its commit): the block is
//    freed at drop's commit, the log is empty and attn 0 after each.
//  - set() logs only memory entries: its commit empties the log inline; an abort after
//    that (set_and_fault) restores exactly the value set() committed.
// The program counts the calls of the two runtime slow paths (it defines them itself and
// forwards to the runtime's): which entries and commits left the inline path, exactly.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"make"},{"function":"drop"},{"function":"set"},{"function":"set_and_fault"},{"function":"outer"},{"function":"noop","rollback":false}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern __thread struct {
  char *cur, *limit, *base;
  uint64_t attn;
} __heal_undo_tls __attribute__((tls_model("initial-exec")));

#define BIG 100000 /* below the mmap threshold: counted in mallinfo2's uordblks */

/* The slow paths of the inline entry and commit, counted, then the runtime's. */
static int slow_enters, slow_commits;

void __heal_tx_enter_slow(void *frame, const void *site) {
  static void (*real)(void *, const void *);
  if (!real)
    real = (void (*)(void *, const void *))dlsym(RTLD_NEXT, "__heal_tx_enter_slow");
  slow_enters++;
  real(frame, site);
}

void __heal_tx_commit(void *frame) {
  static void (*real)(void *);
  if (!real)
    real = (void (*)(void *))dlsym(RTLD_NEXT, "__heal_tx_commit");
  slow_commits++;
  real(frame);
}

static int counter;
static uint64_t seen_pending, seen_drained;

char *make(int fault) {
  char *p = malloc(BIG);
  p[0] = 1;
  if (fault)
    *(volatile int *)(uintptr_t)fault = 1;
  return p;
}

int drop(char *p) {
  free(p);
  return 0;
}

int set(int v) {
  counter = v;
  return 0;
}

int set_and_fault(int v) {
  counter = v;
  *(volatile int *)(uintptr_t)v = 1;
  return 0;
}

int noop(int v) { return v + 1; }

int outer(void) {
  char *p = make(1);
  seen_pending = __heal_undo_tls.attn;
  noop(0);
  seen_drained = __heal_undo_tls.attn;
  return p == NULL;
}

static long in_use(void) { return (long)mallinfo2().uordblks; }

static void state(const char *what, long base) {
  printf("%s: attn %#llx, log %s, heap %+ld, slow enters %d, slow commits %d\n", what,
         (unsigned long long)__heal_undo_tls.attn,
         __heal_undo_tls.cur == __heal_undo_tls.base ? "empty" : "not empty", in_use() - base,
         slow_enters, slow_commits);
  slow_enters = slow_commits = 0;
}

int main(void) {
  set(1); /* reserves the log */
  printf("attn\n"); /* allocates stdout's buffer */
  slow_enters = slow_commits = 0;
  long base = in_use();
  state("start", base);
  printf("make(1): %s\n", make(1) ? "block" : "NULL");
  printf("pending: attn %#llx, heap grown by a block: %s\n",
         (unsigned long long)__heal_undo_tls.attn, in_use() - base >= BIG ? "yes" : "no");
  printf("noop: %d\n", noop(1));
  state("after noop", base);
  printf("outer: %d\n", outer());
  printf("inside outer: attn %#llx after the abort, %#llx after noop\n",
         (unsigned long long)seen_pending, (unsigned long long)seen_drained);
  state("after outer", base);
  char *p = make(0);
  printf("make(0): %s\n", p ? "block" : "NULL");
  state("after make", base + (long)malloc_usable_size(p) + (long)sizeof(size_t));
  printf("drop: %d\n", drop(p));
  state("after drop", base);
  printf("set: %d\n", set(5));
  state("after set", base);
  printf("set_and_fault: %d, counter %d\n", set_and_fault(9), counter);
  state("after set_and_fault", base);
  return 0;
}

// OUT: attn
// OUT-NEXT: start: attn 0, log empty, heap +0, slow enters 0, slow commits 0
// OUT-NEXT: make(1): NULL
// OUT-NEXT: pending: attn 0x10001, heap grown by a block: yes
// OUT-NEXT: noop: 2
// OUT-NEXT: after noop: attn 0, log empty, heap +0, slow enters 1, slow commits 0
// OUT-NEXT: outer: 1
// OUT-NEXT: inside outer: attn 0x10001 after the abort, 0x10000 after noop
// OUT-NEXT: after outer: attn 0, log empty, heap +0, slow enters 1, slow commits 1
// OUT-NEXT: make(0): block
// OUT-NEXT: after make: attn 0, log empty, heap +0, slow enters 0, slow commits 1
// OUT-NEXT: drop: 0
// OUT-NEXT: after drop: attn 0, log empty, heap +0, slow enters 0, slow commits 1
// OUT-NEXT: set: 0
// OUT-NEXT: after set: attn 0, log empty, heap +0, slow enters 0, slow commits 0
// OUT-NEXT: set_and_fault: -1, counter 5
// OUT-NEXT: after set_and_fault: attn 0, log empty, heap +0, slow enters 0, slow commits 0

// ERR: heal: recovered from SIGSEGV (segv) in make: returned NULL to main; report: {{.*}}.json
// ERR: heal: recovered from SIGSEGV (segv) in make: returned NULL to outer (recovery 2); report: {{.*}}.json
// ERR: heal: recovered from SIGSEGV (segv) in set_and_fault: returned -1 to main; report: {{.*}}.json
