// Stack exhaustion in a second thread: threads created with pthread_create get their own
// alternate signal stack from the runtime, so this is reported too.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g -pthread %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=OUT %s --match-full-lines < %t/err

#include <pthread.h>
#include <signal.h>
#include <stdio.h>

__attribute__((noinline)) int recurse(int depth) {
  volatile char frame[256];
  frame[0] = (char)depth;
  return recurse(depth + 1) + frame[0];
}

static void *worker(void *arg) {
  stack_t ss;
  sigaltstack(NULL, &ss);
  fprintf(stderr, "worker altstack: %s, %zu KiB\n", ss.ss_flags & SS_DISABLE ? "none" : "set",
          ss.ss_size / 1024);
  return (void *)(long)recurse((int)(long)arg);
}

int main(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024); /* a quick overflow */
  pthread_t t;
  if (pthread_create(&t, &attr, worker, NULL) != 0)
    return 2;
  pthread_join(t, NULL);
  return 0;
}

// CHECK:      function: "recurse"
// CHECK-NEXT: kind: "stack-overflow"
// CHECK:      signal: "SIGSEGV"
// CHECK-NEXT: stack: #64
// CHECK-NEXT: stack[0]: "recurse"
// CHECK-NEXT: stack[1]: "recurse"

// OUT:      worker altstack: set, 128 KiB
// OUT-NEXT: heal: SIGSEGV (stack-overflow) at address 0x{{[0-9a-f]+}} in recurse (pc 0x{{[0-9a-f]+}}); stack: recurse < recurse < {{.*}}; terminated; report: {{.*}}.json
