// The shadow stack stores 262144 frames per thread (HEAL_SHADOW_CAP); deeper frames are
// counted only. The inline enter pushes while there is room and calls the runtime beyond
// it; the inline exit pops at any depth. A worker thread (64 MiB stack) recurses to the
// given depth, returns, and writes `count` bytes into a 16-byte buffer at the given depth.
// Bad inputs: the overflow at depth 3 after a recursion past the cap (the stack is exact
// again), and at depth 262144 exactly (the last stored frame is the innermost).
// RUN: rm -rf %t && mkdir -p %t/g %t/r %t/c
// RUN: %clang -O2 -g -pthread %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g -pthread %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 300000 3 16 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 300000 3 17
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
// RUN: env HEAL_REPORT_DIR=%t/c %expect_crash SIGSEGV %t/oracle 300000 262144 17
// RUN: %report %t/c > %t/c.txt
// RUN: FileCheck %s --check-prefix=CAP --match-full-lines < %t/c.txt
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long target, overflow_at, count;

// DECL: function_line: [[@LINE+1]]
__attribute__((noinline)) static void fill(unsigned long n) {
  char buf[16];
  memset(buf, 'x', n); /* the bug: n may exceed the buffer */
  __asm__ volatile("" : : "r"(buf) : "memory");
}

/* Depth d of the shadow stack (the worker is depth 1). Not a tail call: the volatile read
 * and the fill come after the recursive call. */
__attribute__((noinline)) static unsigned long deep(unsigned long d) {
  volatile unsigned long keep = d;
  unsigned long r = d < target ? deep(d + 1) : 0;
  if (d == overflow_at) /* on the way back up, after the frames beyond the cap are gone */
    fill(count);
  return r + keep;
}

static void *worker(void *arg) {
  (void)arg;
  unsigned long sum = deep(2);
  printf("sum %lu\n", sum);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  target = strtoul(argv[1], 0, 10);
  overflow_at = strtoul(argv[2], 0, 10) - 1; /* fill runs one level below deep */
  count = strtoul(argv[3], 0, 10);
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setstacksize(&a, (size_t)64 << 20);
  pthread_t t;
  if (pthread_create(&t, &a, worker, NULL) != 0)
    return 1;
  pthread_join(t, NULL);
  return 0;
}

// GOOD: sum 45000149999
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: buffer: "buf"
// CHECK: buffer_function: "fill"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "fill"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "fill"
// CHECK-NEXT: stack[1]: "deep"
// CHECK-NEXT: stack[2]: "worker"
// CHECK-NEXT: tid: {{[0-9]+}}

// At depth 262144 the report shows the innermost 64 frames.
// CAP: function: "fill"
// CAP: kind: "stack-buffer-overflow"
// CAP: offset: 16
// CAP: stack: #64
// CAP-NEXT: stack[0]: "fill"
// CAP-NEXT: stack[1]: "deep"
// CAP-NEXT: stack[2]: "deep"
// CAP: stack[63]: "deep"
// CAP-NEXT: tid: {{[0-9]+}}
