// Builds a 10-byte fixed-width record ID ("ID-" + 6 digits + NUL) in a malloc(10) block,
// but the digits are printed with a width that a 7-digit number exceeds: sprintf writes
// one byte past the block. malloc blocks are 16-byte aligned, so a right-aligned 10-byte
// block is followed by 6 bytes of slack before the guard page: the stray byte lands in
// the slack. The Oracle finds the broken canary when the block is freed and reports
// then: detected "release", function = the caller of free(), SIGABRT.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 42 123456 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/oracle 42 1234567
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

static char *make_id(long n) {
  char *id = malloc(10);
  sprintf(id, "ID-%06ld", n); /* the bug: a 7-digit n needs 11 bytes */
  return id;
}

// DECL-DAG: function_line: [[@LINE+1]]
static void print_id(long n) {
  char *id = make_id(n);
  printf("%s\n", id);
  free(id);
}

static void print_all(int n, char **args) {
  for (int i = 0; i < n; i++)
    print_id(atol(args[i]));
}

int main(int argc, char **argv) {
  print_all(argc - 1, argv + 1);
  return 0;
}

// GOOD: ID-000042
// GOOD-NEXT: ID-123456
// GOOD-NEXT: status: exit 0

// The write was in make_id (sprintf); the canary is checked when print_id frees the
// block, after printing it.
// CHECK: access: null
// CHECK: action: "terminated"
// CHECK: buffer: "malloc"
// CHECK: buffer_function: "make_id"
// CHECK: buffer_size: 10
// CHECK: detected: "release"
// CHECK: function: "print_id"
// CHECK: kind: "heap-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 10
// CHECK: signal: "SIGABRT"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "print_id"
// CHECK-NEXT: stack[1]: "print_all"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-slack.c"
