// One generation of Conway's life on a 16x16 int grid (a 2-D array on the stack). The
// neighbour count checks the top and side edges but not the bottom one, so a live cell
// in the last row reads grid[16][c]: a read past the end of the array. Bad input: a live
// cell at row 15, column 0 (the first stray read is grid[16][0], offset 1024).
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 5,5 5,6 5,7 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 5,5 15,0
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

#define N 16

// DECL-DAG: function_line: [[@LINE+1]]
static int neighbours(int grid[N][N], int r, int c) {
  int n = 0;
  for (int dr = -1; dr <= 1; dr++)
    for (int dc = -1; dc <= 1; dc++) {
      if ((dr == 0 && dc == 0) || r + dr < 0 || c + dc < 0 || c + dc >= N)
        continue; /* the bug: r + dr == N is not skipped */
      n += grid[r + dr][c + dc];
    }
  return n;
}

static void step(int n, char **cells) {
  int grid[N][N]; // DECL-DAG: buffer_line: [[@LINE]]
  int next[N][N];
  memset(grid, 0, sizeof grid);
  memset(next, 0, sizeof next);
  for (int i = 0; i < n; i++) {
    int r, c;
    if (sscanf(cells[i], "%d,%d", &r, &c) == 2 && r >= 0 && r < N && c >= 0 && c < N)
      grid[r][c] = 1;
  }
  for (int r = 0; r < N; r++)
    for (int c = 0; c < N; c++) {
      if (!grid[r][c] && (r == 0 || !grid[r - 1][c]) && (r == N - 1 || !grid[r + 1][c]))
        continue; /* only cells near a live one can change (vertically) */
      int k = neighbours(grid, r, c);
      next[r][c] = k == 3 || (grid[r][c] && k == 2);
    }
  for (int r = 0; r < N; r++)
    for (int c = 0; c < N; c++)
      if (next[r][c])
        printf("%d,%d\n", r, c);
}

int main(int argc, char **argv) {
  step(argc - 1, argv + 1);
  return 0;
}

// GOOD: 4,6
// GOOD-NEXT: 5,6
// GOOD-NEXT: 6,6
// GOOD-NEXT: status: exit 0

// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "grid"
// CHECK: buffer_function: "step"
// CHECK: buffer_size: 1024
// CHECK: detected: "access"
// CHECK: function: "neighbours"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 1024
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "neighbours"
// CHECK-NEXT: stack[1]: "step"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}array2d-life.c"
// DECL-DAG: function_file: "{{.*}}array2d-life.c"
