// Several threads fault at the same time: exactly one report is written (the first
// thread to take the report lock reports and kills the process; the others wait).
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g -pthread %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s < %t/err

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#define N 8
static atomic_int ready;

__attribute__((noinline)) void crash_together(int *p) { *p = 1; }

static void *worker(void *arg) {
  (void)arg;
  atomic_fetch_add(&ready, 1);
  while (atomic_load(&ready) < N)
    ;
  crash_together(NULL);
  return NULL;
}

int main(void) {
  pthread_t t[N];
  for (int i = 0; i < N; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], NULL);
  return 0;
}

// CHECK:      function: "crash_together"
// CHECK:      stack[0]: "crash_together"
// CHECK-NEXT: stack[1]: "worker"
// ERR: heal: SIGSEGV (segv) at address 0x0 in crash_together
// ERR-NOT: heal:
