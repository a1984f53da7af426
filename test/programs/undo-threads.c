// Per-thread undo logs: 8 threads run 3 000 transactions each on their own account
// records (in one global array) and on heap blocks; every seventh transaction faults
// after its writes. All threads fault concurrently; each abort undoes exactly that
// thread's writes, so every account ends with the sum of the committed updates only.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"update"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog -pthread
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 8
#define ROUNDS 3000

struct account {
  long sum;
  int count;
  int ring[16];
  long *blocks; /* heap */
};

static struct account accounts[THREADS];

int update(struct account *a, int i) {
  a->sum += i;
  a->count++;
  a->ring[a->count & 15] = i;
  a->blocks[i & 63] += i;
  if (i % 7 == 0) {
    volatile int *bad = NULL;
    *bad = i; /* the bug */
  }
  return 0;
}

static void *worker(void *arg) {
  struct account *a = arg;
  a->blocks = calloc(64, sizeof *a->blocks);
  for (int i = 1; i <= ROUNDS; i++)
    update(a, i);
  return NULL;
}

int main(void) {
  pthread_t t[THREADS];
  for (int k = 0; k < THREADS; k++)
    pthread_create(&t[k], NULL, worker, &accounts[k]);
  for (int k = 0; k < THREADS; k++)
    pthread_join(t[k], NULL);
  long want_sum = 0, want_blocks = 0;
  int want_count = 0;
  for (int i = 1; i <= ROUNDS; i++)
    if (i % 7 != 0) {
      want_sum += i;
      want_count++;
    }
  want_blocks = want_sum;
  int ok = 0;
  for (int k = 0; k < THREADS; k++) {
    long blocks = 0;
    for (int j = 0; j < 64; j++)
      blocks += accounts[k].blocks[j];
    /* the last committed update wrote ring[count & 15] */
    int last = ROUNDS % 7 ? ROUNDS : ROUNDS - 1;
    ok += accounts[k].sum == want_sum && accounts[k].count == want_count &&
          blocks == want_blocks && accounts[k].ring[want_count & 15] == last;
  }
  printf("expected sum=%ld count=%d; accounts right: %d of %d\n", want_sum, want_count, ok,
         THREADS);
  return 0;
}

// OUT: expected sum=3858858 count=2572; accounts right: 8 of 8
// ERR: heal: recovered from SIGSEGV (segv) in update: returned -1 to worker; report: {{.*}}.json
