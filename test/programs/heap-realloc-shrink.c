// A growable int vector: push N values, then "trim" shrinks the block with realloc() to
// the number of values kept by a filter. The sum afterwards still iterates over the old
// count, reading past the end of the shrunk block (not a use-after-free: the vector's
// pointer is the new block). Good input: the filter keeps every value, nothing shrinks.
// Bad input: the filter keeps 8 of 20 values.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 1 2 7 11 13 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

struct vec {
  int *v;
  int n, cap;
};

static void push(struct vec *a, int x) {
  if (a->n == a->cap) {
    a->cap = a->cap ? 2 * a->cap : 4;
    a->v = realloc(a->v, a->cap * sizeof *a->v);
  }
  a->v[a->n++] = x;
}

/* Keeps the values that are not multiples of 3, 4 or 5; returns how many it kept. */
static int keep_odd_ones(struct vec *a) {
  int k = 0;
  for (int i = 0; i < a->n; i++)
    if (a->v[i] % 3 && a->v[i] % 4 && a->v[i] % 5)
      a->v[k++] = a->v[i];
  a->v = realloc(a->v, (k ? k : 1) * sizeof *a->v);
  a->cap = k;
  return k; /* the bug: a->n is left as it was */
}

// DECL-DAG: function_line: [[@LINE+1]]
static long sum(const struct vec *a) {
  long s = 0;
  for (int i = 0; i < a->n; i++)
    s += a->v[i];
  return s;
}

static void summarize(struct vec *a) {
  int before = a->n, kept = keep_odd_ones(a);
  printf("%d of %d kept, sum %ld\n", kept, before, sum(a));
}

int main(int argc, char **argv) {
  struct vec a = {0};
  for (int i = 1; i < argc; i++)
    push(&a, atoi(argv[i]));
  summarize(&a);
  free(a.v);
  return 0;
}

// GOOD: 5 of 5 kept, sum 34
// GOOD-NEXT: status: exit 0

// 1..20 keeps 1 2 7 11 13 14 17 19: 8 ints, 32 bytes; sum() reads v[8] first.
// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "realloc"
// CHECK: buffer_function: "keep_odd_ones"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "sum"
// CHECK: kind: "heap-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "sum"
// CHECK-NEXT: stack[1]: "summarize"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-realloc-shrink.c"
