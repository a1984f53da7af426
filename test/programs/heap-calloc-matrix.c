// Transposes a ROWSxCOLS matrix of ints held in a calloc()ed block. The transposed
// element (c, r) is stored at index c * cols + r instead of c * rows + r: right for
// square matrices, past the end of the block when there are more columns than rows.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 2 2 1 2 3 4 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 2 8 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void transpose(const int *m, int *t, int rows, int cols) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      t[c * cols + r] = m[r * cols + c]; /* the bug: the stride of t is rows */
}

static int *transposed(const int *m, int rows, int cols) {
  int *t = calloc((size_t)rows * cols, sizeof *t);
  if (t)
    transpose(m, t, rows, cols);
  return t;
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  int rows = atoi(argv[1]), cols = atoi(argv[2]);
  if (rows < 1 || cols < 1 || argc != 3 + rows * cols)
    return 2;
  int *m = calloc((size_t)rows * cols, sizeof *m);
  for (int i = 0; i < rows * cols; i++)
    m[i] = atoi(argv[3 + i]);
  int *t = transposed(m, rows, cols);
  for (int c = 0; c < cols; c++) {
    for (int r = 0; r < rows; r++)
      printf(" %d", t[c * rows + r]);
    printf("\n");
  }
  free(t);
  free(m);
  return 0;
}

// GOOD: 1 3
// GOOD-NEXT: 2 4
// GOOD-NEXT: status: exit 0

// 2x8: row 0 is stored at t[0], t[8], ... t[56] > 15: the first store past the 64-byte
// block is c = 2, r = 0, index 16.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "calloc"
// CHECK: buffer_function: "transposed"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "transpose"
// CHECK: kind: "heap-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "transpose"
// CHECK-NEXT: stack[1]: "transposed"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-calloc-matrix.c"
