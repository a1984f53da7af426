// A crash in a second thread: the report has the crashing thread's id (not the pid) and
// its own call stack, starting at the faulting function.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g -pthread %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: %report %t/r | FileCheck %s --check-prefix=TID --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

#include <pthread.h>
#include <stddef.h>

struct job {
  int *out;
};

__attribute__((noinline)) void store_result(struct job *j) { *j->out = 1; }
__attribute__((noinline)) void *worker(void *arg) {
  store_result(arg);
  return NULL;
}

int main(void) {
  struct job j = {NULL};
  pthread_t t;
  if (pthread_create(&t, NULL, worker, &j) != 0)
    return 2;
  pthread_join(t, NULL);
  return 0;
}

// CHECK:      function: "store_result"
// CHECK-NEXT: kind: "segv"
// CHECK:      signal: "SIGSEGV"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "store_result"
// CHECK-NEXT: stack[1]: "worker"
// CHECK-NOT:  "main"
// CHECK:      tid: {{[0-9]+}}

// The thread id differs from the pid: nothing between pid and version repeats the pid.
// TID:      pid: [[PID:[0-9]+]]
// TID-NOT:  tid: [[PID]]
// TID:      version: 1

// ERR: heal: SIGSEGV (segv) at address 0x0 in store_result (pc 0x{{[0-9a-f]+}}); stack: store_result < worker < {{.*}}; terminated; report: {{.*}}.json
