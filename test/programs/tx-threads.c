// Eight threads each run 200 requests through the transaction `handle`; every fifth
// request of every thread faults (SIGSEGV), concurrently with the others. Each thread's
// faults abort its own innermost transaction; all threads finish with exact counts.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"handle"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g -pthread %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <pthread.h>
#include <stdio.h>

static int *volatile nowhere;

int handle(int id, int req) {
  volatile char scratch[64];
  scratch[0] = (char)(req % 100);
  if (req % 5 == 4)
    return *nowhere + id; /* the bug */
  return scratch[0] + id;
}

struct result {
  int id, ok, failed;
};

static void *worker(void *p) {
  struct result *r = p;
  for (int req = 0; req < 200; req++) {
    if (handle(r->id, req) < 0)
      r->failed++;
    else
      r->ok++;
  }
  return NULL;
}

int main(void) {
  pthread_t t[8];
  struct result res[8] = {{0}};
  for (int i = 0; i < 8; i++) {
    res[i].id = i;
    pthread_create(&t[i], NULL, worker, &res[i]);
  }
  int ok = 0, failed = 0;
  for (int i = 0; i < 8; i++) {
    pthread_join(t[i], NULL);
    ok += res[i].ok;
    failed += res[i].failed;
    if (res[i].ok != 160 || res[i].failed != 40)
      printf("thread %d: %d ok, %d failed\n", i, res[i].ok, res[i].failed);
  }
  printf("%d ok, %d failed\n", ok, failed);
  return 0;
}

// OUT: 1280 ok, 320 failed

// 320 recoveries, the first 10 and the powers of two 16..256 (15) reported, then the summary.
// ERR-COUNT-15: heal: recovered from SIGSEGV (segv) in handle: returned -1 to worker
// ERR: heal: transaction handle recovered 320 times; 15 reported (the first 10, then the 2^k-th)
