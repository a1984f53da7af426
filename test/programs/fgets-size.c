// Reads "NAME VALUE" lines from stdin. Names are read into a 32-byte buffer with fgets,
// but the size passed is that of the line buffer the code used before a refactoring.
// Bad input: a line longer than 32 characters.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --stdin %S/Inputs/pairs-good.txt -- | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle < %S/Inputs/pairs-bad.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_SIZE 256

// DECL-DAG: function_line: [[@LINE+1]]
static int read_pair(FILE *in, long *value) {
  char pair[32]; // DECL-DAG: buffer_line: [[@LINE]]
  if (!fgets(pair, LINE_SIZE, in)) /* the bug: LINE_SIZE, not sizeof pair */
    return 0;
  char *sp = strchr(pair, ' ');
  *value = sp ? atol(sp + 1) : 0;
  return 1;
}

static long total(FILE *in) {
  long sum = 0, v;
  int n = 0;
  while (read_pair(in, &v)) {
    sum += v;
    n++;
  }
  printf("%d entries\n", n);
  return sum;
}

int main(void) {
  printf("total %ld\n", total(stdin));
  return 0;
}

// GOOD: 3 entries
// GOOD-NEXT: total 60
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "pair"
// CHECK: buffer_function: "read_pair"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "read_pair"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "read_pair"
// CHECK-NEXT: stack[1]: "total"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}fgets-size.c"
// DECL-DAG: function_file: "{{.*}}fgets-size.c"
