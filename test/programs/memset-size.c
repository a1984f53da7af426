// A vote counter resets the first N candidates' counters with memset, computing the byte
// count with sizeof(long) where the counters are ints. Bad input: resetting 20 of the 32
// counters clears 160 bytes of a 128-byte array.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 4 1 2 2 3 0 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 20 1 2
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANDIDATES 32

// DECL-DAG: function_line: [[@LINE+1]]
static void reset(int *votes, int n) {
  memset(votes, 0, (size_t)n * sizeof(long)); /* the bug: the counters are ints */
}

static void count(int n, int nvotes, char **ballots) {
  int votes[CANDIDATES]; // DECL-DAG: buffer_line: [[@LINE]]
  if (n < 1 || n > CANDIDATES)
    return;
  reset(votes, n);
  for (int i = 0; i < nvotes; i++) {
    int c = atoi(ballots[i]);
    if (c >= 0 && c < n)
      votes[c]++;
  }
  for (int c = 0; c < n; c++)
    printf("candidate %d: %d\n", c, votes[c]);
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  count(atoi(argv[1]), argc - 2, argv + 2);
  return 0;
}

// GOOD: candidate 0: 1
// GOOD-NEXT: candidate 1: 1
// GOOD-NEXT: candidate 2: 2
// GOOD-NEXT: candidate 3: 1
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "votes"
// CHECK: buffer_function: "count"
// CHECK: buffer_size: 128
// CHECK: detected: "access"
// CHECK: function: "reset"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 128
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "reset"
// CHECK-NEXT: stack[1]: "count"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}memset-size.c"
// DECL-DAG: function_file: "{{.*}}memset-size.c"
