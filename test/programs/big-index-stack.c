// A histogram of byte values indexed by a value parsed from the input; the index is only
// checked to be non-negative. Bad input: index 5000 for a 64-entry table of bytes, i.e.
// 4936 bytes past its end: the guard region must be wide enough that this does not land
// in another live slot, and the report still names this buffer.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 3 7 7 63 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 3 5000
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void bump(unsigned char *hist, long v) {
  if (v < 0) /* the bug: no upper bound */
    return;
  hist[v]++;
}

static void tally(int n, char **vals) {
  unsigned char hist[64] = {0}; // DECL-DAG: buffer_line: [[@LINE]]
  unsigned char other[64] = {0}; /* a neighbour that must not absorb the stray write */
  for (int i = 0; i < n; i++) {
    long v = atol(vals[i]);
    bump(hist, v);
    other[i % 64]++;
  }
  for (int i = 0; i < 64; i++)
    if (hist[i])
      printf("%2d: %d\n", i, hist[i]);
  printf("%d values\n", other[0] + other[1] + other[2] + other[3]);
}

int main(int argc, char **argv) {
  tally(argc - 1, argv + 1);
  return 0;
}

// GOOD: 3: 1
// GOOD-NEXT: 7: 2
// GOOD-NEXT: 63: 1
// GOOD-NEXT: 4 values
// GOOD-NEXT: status: exit 0

// A read-modify-write: at -O2 one instruction, whose fault the CPU reports as a write.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "hist"
// CHECK: buffer_function: "tally"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "bump"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 5000
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "bump"
// CHECK-NEXT: stack[1]: "tally"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}big-index-stack.c"
// DECL-DAG: function_file: "{{.*}}big-index-stack.c"
