// A -static program linked with libheal_rt.a. -Wl,-u,__heal_register_module pulls the
// runtime in even if no instrumented module references it; -Wl,--wrap=pthread_create
// gives threads their alternate signal stack, so a thread's stack overflow is reported.
// RUN: rm -rf %t && mkdir -p %t/r1 %t/r2
// RUN: %clang -O0 -g -static -pthread %s -o %t/prog -Wl,-u,__heal_register_module -Wl,--wrap=pthread_create %rtdir/libheal_rt.a
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=MAIN %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR1 %s < %t/err1
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGSEGV %t/prog thread 2> %t/err2
// RUN: %report %t/r2 | FileCheck --check-prefix=THREAD %s --match-full-lines
// RUN: %python %S/Inputs/check-frames.py %t/r1 | FileCheck --check-prefix=FRAMES %s

#include <pthread.h>
#include <stddef.h>

__attribute__((noinline)) int deref(const int *p) { return *p; }

__attribute__((noinline)) int recurse(int depth) {
  volatile char frame[256];
  frame[0] = (char)depth;
  return recurse(depth + 1) + frame[0];
}

static void *worker(void *arg) { return (void *)(long)recurse((int)(long)arg); }

int main(int argc, char **argv) {
  (void)argv;
  if (argc == 1)
    return deref(NULL);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t t;
  if (pthread_create(&t, &attr, worker, NULL) != 0)
    return 2;
  pthread_join(t, NULL);
  return 0;
}

// MAIN:      frames[0]: {"pc": "0x{{[0-9a-f]+}}", "function": "deref", "object": "{{.*}}/prog", "offset": "0x{{[0-9a-f]+}}"}
// MAIN:      function: "deref"
// MAIN-NEXT: kind: "segv"
// MAIN:      stack[0]: "deref"
// MAIN-NEXT: stack[1]: "main"
// MAIN-NEXT: stack[2]: "__libc_start_call_main"
// ERR1: heal: SIGSEGV (segv) at address 0x0 in deref

// THREAD:      function: "recurse"
// THREAD-NEXT: kind: "stack-overflow"
// THREAD:      stack[0]: "recurse"

// FRAMES: frames ok:
