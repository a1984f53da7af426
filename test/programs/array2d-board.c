// Plays moves "ROW,COL" on an 8x8 board (a 2-D array on the stack) and prints it. Columns
// are checked with <= 8, so column 8 writes into the next row -- invisible to guard pages
// except on the last row, where board[7][8] is the first byte after the array. Bad input:
// a move at 7,8.
// RUN: rm -rf %t && mkdir -p %t/g %t/r %t/s
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 0,0 3,4 7,7 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 0,0 7,8
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
// NOT DETECTED, by design: column 8 of any other row is the first byte of the next row,
// inside the array. Both builds put the stone at 4,0 and the Oracle reports nothing.
// RUN: %python %S/Inputs/run-good.py %t/s %t/ref %t/oracle -- 3,8 | FileCheck --check-prefix=SPILL %s
#include <stdio.h>
#include <string.h>

#define N 8

// DECL-DAG: function_line: [[@LINE+1]]
static int place(char board[N][N], int r, int c, char who) {
  if (r < 0 || r >= N || c < 0 || c > N) /* the bug: c == N passes */
    return -1;
  board[r][c] = who;
  return 0;
}

static void play(int n, char **moves) {
  char board[N][N]; // DECL-DAG: buffer_line: [[@LINE]]
  memset(board, '.', sizeof board);
  for (int i = 0; i < n; i++) {
    int r, c;
    if (sscanf(moves[i], "%d,%d", &r, &c) != 2 || place(board, r, c, i % 2 ? 'O' : 'X'))
      printf("bad move %s\n", moves[i]);
  }
  for (int r = 0; r < N; r++)
    printf("%.8s\n", board[r]);
}

int main(int argc, char **argv) {
  play(argc - 1, argv + 1);
  return 0;
}

// GOOD: X.......
// GOOD-NEXT: ........
// GOOD-NEXT: ........
// GOOD-NEXT: ....O...
// GOOD-NEXT: ........
// GOOD-NEXT: ........
// GOOD-NEXT: ........
// GOOD-NEXT: .......X
// GOOD-NEXT: status: exit 0

// SPILL: ........
// SPILL-NEXT: ........
// SPILL-NEXT: ........
// SPILL-NEXT: ........
// SPILL-NEXT: X.......
// SPILL-NEXT: ........
// SPILL-NEXT: ........
// SPILL-NEXT: ........
// SPILL-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "board"
// CHECK: buffer_function: "play"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "place"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "place"
// CHECK-NEXT: stack[1]: "play"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}array2d-board.c"
// DECL-DAG: function_file: "{{.*}}array2d-board.c"
