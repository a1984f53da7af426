// Reads a ROWSxCOLS matrix from the arguments into a variable-length array and prints the
// sum of one selected column into a VLA of column sums. The selected column is checked
// with <= instead of <, so column COLS writes one double past the end of the sums.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 2 4 1 1 2 3 4 5 6 7 8 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 2 4 4 1 2 3 4 5 6 7 8
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void column_sum(int rows, int cols, double m[rows][cols], double *sums, int col) {
  if (col < 0 || col > cols) /* the bug: col == cols passes */
    return;
  sums[col] = 0;
  for (int r = 0; r < rows; r++)
    sums[col] += col < cols ? m[r][col] : 0;
}

static void summarize(int rows, int cols, int col, char **vals) {
  double m[rows][cols];
  double sums[cols]; // DECL-DAG: buffer_line: [[@LINE]]
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      m[r][c] = atof(vals[r * cols + c]);
  for (int c = 0; c < cols; c++)
    sums[c] = -1;
  column_sum(rows, cols, m, sums, col);
  for (int c = 0; c < cols; c++)
    printf("%g ", sums[c]);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 4)
    return 2;
  int rows = atoi(argv[1]), cols = atoi(argv[2]);
  if (rows < 1 || cols < 1 || argc != 4 + rows * cols)
    return 2;
  summarize(rows, cols, atoi(argv[3]), argv + 4);
  return 0;
}

// GOOD: -1 8 -1 -1
// GOOD-NEXT: status: exit 0

// A VLA has no declared size: buffer_size is the size of this instance (4 doubles).
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "sums"
// CHECK: buffer_function: "summarize"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "column_sum"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "column_sum"
// CHECK-NEXT: stack[1]: "summarize"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}vla-columns.c"
// DECL-DAG: function_file: "{{.*}}vla-columns.c"
