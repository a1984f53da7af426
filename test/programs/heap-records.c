// Loads "name:score" records into a malloc()ed array of 16-byte records. The array is
// sized by the count the input declares first, but the loader stores every record that
// follows. Bad input: declares 3 records and sends 4 -- the 4th is written just past the
// end of the 48-byte block.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 3 ann:7 bob:9 cy:4 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 3 ann:7 bob:9 cy:4 dee:5
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
  char name[12];
  int score;
};

// DECL-DAG: function_line: [[@LINE+1]]
static int store(struct rec *recs, int i, const char *arg) {
  memset(&recs[i], 0, sizeof recs[i]);
  return sscanf(arg, "%11[^:]:%d", recs[i].name, &recs[i].score) == 2;
}

static struct rec *load(int argc, char **argv, int *n) {
  int declared = atoi(argv[1]);
  struct rec *recs = malloc(declared * sizeof *recs);
  *n = 0;
  for (int i = 2; i < argc; i++) /* the bug: trusts argc, not the declared count */
    *n += store(recs, *n, argv[i]);
  return recs;
}

static int best_of(const struct rec *recs, int n) {
  int best = 0;
  for (int i = 1; i < n; i++)
    if (recs[i].score > recs[best].score)
      best = i;
  return best;
}

int main(int argc, char **argv) {
  int n;
  if (argc < 3)
    return 2;
  struct rec *recs = load(argc, argv, &n);
  int b = best_of(recs, n);
  printf("%d records, best: %s (%d)\n", n, recs[b].name, recs[b].score);
  free(recs);
  return 0;
}

// GOOD: 3 records, best: bob (9)
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "malloc"
// CHECK: buffer_function: "load"
// CHECK: buffer_size: 48
// CHECK: detected: "access"
// CHECK: function: "store"
// CHECK: kind: "heap-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 48
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "store"
// CHECK-NEXT: stack[1]: "load"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-records.c"
