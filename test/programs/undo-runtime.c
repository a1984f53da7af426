// The undo log's runtime alone (runtime/undo.c), driven the way txn.c and instrumented code
// drive it: marks, logged writes, rollback, nested and outermost commits, allocation inside
// transactions, the libc-writer helpers, a log overflow and per-thread logs.
// RUN: %clang -O1 -g -I%srcroot/include %s -o %t %rtdir/libheal_rt.a -lpthread
// RUN: %t | FileCheck %s --match-full-lines
// RUN: env HEAL_UNDO_MAX_MB=1 %t overflow | FileCheck %s --check-prefix=OVF --match-full-lines
// RUN: env HEAL_UNDO_MAX_MB=oops %t overflow 2>&1 | FileCheck %s --check-prefix=BAD --match-full-lines
#include "heal/heal.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// runtime/txn.h (hidden in the shared library, linkable from the static one)
uint64_t heal_undo_mark(void);
int heal_undo_rollback(uint64_t mark);
void heal_undo_commit(uint64_t mark, int outermost);
void __heal_undo_log_strcpy(char *dst, const char *src);
void __heal_undo_log_strcat(char *dst, const char *src, uint64_t max);
void __heal_undo_log_printf(char *dst, uint64_t limit, const char *fmt, ...);

static int counter = 7;
static char text[32] = "original";
static short half = 3;
static unsigned char odd[3] = {1, 2, 3};

#define LOGGED(lv, v) (__heal_undo_log((void *)&(lv), sizeof(lv)), (lv) = (v))

static size_t in_use(void) { return mallinfo2().uordblks; }

// heal.h, HEAL_RT_UNDO_TLS: the first fields of the thread's log.
extern __thread struct {
  char *cur, *limit;
} __heal_undo_tls;

static long resident_kb(char *p, size_t n) {
  size_t pg = (size_t)sysconf(_SC_PAGESIZE), pages = (n + pg - 1) / pg;
  unsigned char vec[4096];
  long r = 0;
  if (pages > sizeof vec || mincore(p, n, vec) != 0)
    return -1;
  for (size_t i = 0; i < pages; i++)
    r += vec[i] & 1;
  return r * (long)pg / 1024;
}

static void *thread_main(void *arg) {
  int *p = arg;
  uint64_t m = heal_undo_mark();
  LOGGED(*p, 100);
  LOGGED(counter, counter); // the other thread's log is untouched by ours
  printf("thread mark %llu\n", (unsigned long long)m);
  int r = heal_undo_rollback(m);
  printf("thread rollback %d value %d\n", r, *p);
  return NULL;
}

static void overflow(void) {
  char *big = calloc(1, 2 << 20);
  uint64_t m = heal_undo_mark();
  LOGGED(counter, 1);
  __heal_undo_log(big, 2 << 20); // does not fit a 1 MiB log
  memset(big, 1, 2 << 20);
  printf("rollback after overflow %d\n", heal_undo_rollback(m));
  heal_undo_commit(m, 1);
  m = heal_undo_mark();
  LOGGED(counter, 2);
  printf("after outermost commit %d counter %d\n", heal_undo_rollback(m), counter);
}
// OVF: rollback after overflow -1
// OVF-NEXT: after outermost commit 0 counter 1
// BAD: heal: HEAL_UNDO_MAX_MB: not a size in MiB (1..1048576); using 256
// BAD-NEXT: rollback after overflow 0

int main(int argc, char **argv) {
  if (argc > 1) {
    overflow();
    return 0;
  }
  // Scalars of each size, a range, newest first (the same place written twice).
  char *heap = malloc(3000); // chunks this big are not cached: mallinfo2 sees frees
  strcpy(heap, "heap block");
  uint64_t m0 = heal_undo_mark();
  printf("empty mark %llu\n", (unsigned long long)m0);
  LOGGED(counter, 8);
  LOGGED(counter, 9);
  LOGGED(half, 4);
  __heal_undo_log(odd, sizeof odd);
  memset(odd, 9, sizeof odd);
  __heal_undo_log(heap, 11);
  memcpy(heap, "HEAP BLOCK", 11);
  __heal_undo_log_strcpy(text, "a much longer text");
  strcpy(text, "a much longer text");
  printf("written %d %d %d%d%d %s %s\n", counter, half, odd[0], odd[1], odd[2], heap, text);
  printf("rollback %d\n", heal_undo_rollback(m0));
  printf("restored %d %d %d%d%d %s %s mark %llu\n", counter, half, odd[0], odd[1], odd[2],
         heap, text, (unsigned long long)heal_undo_mark());
  // CHECK: empty mark 0
  // CHECK-NEXT: written 9 4 999 HEAP BLOCK a much longer text
  // CHECK-NEXT: rollback 0
  // CHECK-NEXT: restored 7 3 123 heap block original mark 0

  // Nested: the inner aborts, the outer commits.
  uint64_t outer = heal_undo_mark();
  LOGGED(counter, 10);
  uint64_t inner = heal_undo_mark();
  LOGGED(counter, 11);
  __heal_undo_log_strcat(text, "+inner", (uint64_t)-1);
  strcat(text, "+inner");
  __heal_undo_log_printf(heap, (uint64_t)-1, "%s-%d", "formatted", 42);
  sprintf(heap, "%s-%d", "formatted", 42);
  printf("inner rollback %d: %d %s %s\n", heal_undo_rollback(inner), counter, text, heap);
  heal_undo_commit(outer, 1);
  printf("outer committed: %d mark %llu\n", counter, (unsigned long long)heal_undo_mark());
  // CHECK-NEXT: inner rollback 0: 10 original heap block
  // CHECK-NEXT: outer committed: 10 mark 0

  // A nested commit keeps its entries for the parent, which then aborts.
  outer = heal_undo_mark();
  inner = heal_undo_mark();
  LOGGED(counter, 12);
  heal_undo_commit(inner, 0);
  printf("parent rollback %d: %d\n", heal_undo_rollback(outer), counter);
  // CHECK-NEXT: parent rollback 0: 10

  // Allocation: what an aborted transaction allocated is freed (at the next begin), what
  // it freed is not; a committed transaction's free happens at the outermost commit.
  size_t base = in_use();
  m0 = heal_undo_mark();
  char *fresh = __heal_tx_malloc(100000);
  char *zeroed = __heal_tx_calloc(10, 1000);
  char longer[2000];
  memset(longer, 'x', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  char *dup = __heal_tx_strdup(longer);
  __heal_tx_free(heap);
  char *grown = __heal_tx_realloc(heap, 4096);
  printf("allocated %d %d %zu %s\n", fresh != NULL, zeroed[9999], strlen(dup), grown);
  heal_undo_rollback(m0);
  m0 = heal_undo_mark(); // a begin: frees what the abort left
  printf("after abort: leaked %ld, heap %s\n", (long)(in_use() - base), heap);
  heal_undo_commit(m0, 1);
  // CHECK-NEXT: allocated 1 0 1999 heap block
  // CHECK-NEXT: after abort: leaked 0, heap heap block

  base = in_use();
  m0 = heal_undo_mark();
  grown = __heal_tx_realloc(heap, 4096);
  strcat(grown, " grown");
  __heal_tx_free(grown);
  inner = heal_undo_mark();
  __heal_tx_free(__heal_tx_malloc(50000));
  heal_undo_commit(inner, 0);
  printf("before commit: %s, %s\n", heap, grown);
  heal_undo_commit(m0, 1);
  // heap is freed; grown and the inner block were allocated since base and are freed too
  printf("after commit: freed %ld KB\n", (long)(base - in_use()) / 1000);
  // CHECK-NEXT: before commit: heap block, heap block grown
  // CHECK-NEXT: after commit: freed 3 KB

  // A million aborted transactions that each allocate: nothing accumulates.
  base = in_use();
  for (int i = 0; i < 1000000; i++) {
    uint64_t m = heal_undo_mark();
    char *p = __heal_tx_malloc(5000);
    __heal_undo_log(&counter, sizeof counter);
    counter = i;
    p[0] = 1;
    heal_undo_rollback(m);
  }
  heal_undo_commit(heal_undo_mark(), 1);
  printf("million aborts: counter %d, leaked %ld\n", counter, (long)(in_use() - base));
  // CHECK-NEXT: million aborts: counter 10, leaked 0

  // A big transaction's log pages above the first MiB are given back at the outermost
  // commit.
  char *big = calloc(1, 8 << 20);
  m0 = heal_undo_mark();
  char *log_base = __heal_undo_tls.cur - m0;
  __heal_undo_log(big, 8 << 20);
  printf("log resident above 1 MiB: %ld KiB", resident_kb(log_base + (1 << 20), 7 << 20));
  heal_undo_commit(m0, 1);
  printf(", after the commit: %ld KiB, cur at base: %d\n",
         resident_kb(log_base + (1 << 20), 7 << 20), __heal_undo_tls.cur == log_base);
  free(big);
  // CHECK-NEXT: log resident above 1 MiB: 7168 KiB, after the commit: 0 KiB, cur at base: 1

  // Threads have their own logs.
  int value = 5;
  m0 = heal_undo_mark();
  LOGGED(counter, 13);
  pthread_t t;
  pthread_create(&t, NULL, thread_main, &value);
  pthread_join(t, NULL);
  printf("main rollback %d: %d %d\n", heal_undo_rollback(m0), counter, value);
  // CHECK-NEXT: thread mark 0
  // CHECK-NEXT: thread rollback 0 value 5
  // CHECK-NEXT: main rollback 0: 10 5
  return 0;
}
