// heal-cc -static adds -Wl,--wrap=pthread_create next to libheal_rt.a, so a second
// thread gets its alternate signal stack and its stack overflow is reported (without the
// wrap the kernel kills the process with no report). It also adds
// -Wl,-u,__heal_register_module: a link of plain objects only (no instrumented module to
// pull the runtime in, and no pthread_create to pull in the wrapper) still gets the runtime.
// heal rebuild links a -static binary again with the same runtime arguments.
// RUN: rm -rf %t && mkdir -p %t/r1 %t/r2 %t/r3
// RUN: %heal_cc -O0 -g -static -pthread %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog 2> %t/err1
// RUN: %report %t/r1 | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=OUT %s --match-full-lines < %t/err1
// RUN: %heal_bin rebuild %t/prog --mode sensor -o %t/rebuilt
// RUN: env HEAL_REPORT_DIR=%t/r3 %expect_crash SIGSEGV %t/rebuilt 2> %t/err3
// RUN: %report %t/r3 | FileCheck %s --match-full-lines
// RUN: %clang -O0 -g -c %S/Inputs/plain-segv.c -o %t/plain.o
// RUN: %heal_cc -static %t/plain.o -o %t/plain
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGSEGV %t/plain 2> %t/err2
// RUN: %report %t/r2 | FileCheck --check-prefix=PLAIN %s --match-full-lines

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
  fprintf(stderr, "worker altstack: %s\n", ss.ss_flags & SS_DISABLE ? "none" : "set");
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

// OUT:      worker altstack: set
// OUT-NEXT: heal: SIGSEGV (stack-overflow) at address 0x{{[0-9a-f]+}} in recurse (pc 0x{{[0-9a-f]+}}); stack: recurse < recurse < {{.*}}; terminated; report: {{.*}}.json

// PLAIN:      function: "deref"
// PLAIN-NEXT: kind: "segv"
