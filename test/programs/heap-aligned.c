// Sums float samples in blocks of 8 ("SIMD lanes") from a 64-byte-aligned buffer made with
// posix_memalign(). The buffer holds the samples rounded down to a multiple of 8 -- the
// loader rounds down where it should round up -- and the last partial block is copied in
// anyway. Bad input: 20 samples in a 64-byte (16-float) block. aligned_alloc and
// posix_memalign blocks are guarded like malloc's, alignment kept.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 1 2 3 4 5 6 7 8 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LANES 8

// DECL-DAG: function_line: [[@LINE+1]]
static void load(float *dst, int n, char **args) {
  for (int i = 0; i < n; i++)
    dst[i] = (float)atof(args[i]);
}

static float *load_aligned(int n, char **args) {
  void *p = NULL;
  size_t lanes = (size_t)n / LANES * LANES; /* the bug: rounds down */
  if (posix_memalign(&p, 64, (lanes ? lanes : LANES) * sizeof(float)) != 0)
    return NULL;
  if ((uintptr_t)p % 64)
    puts("misaligned!");
  load(p, n, args);
  return p;
}

int main(int argc, char **argv) {
  int n = argc - 1;
  float *v = load_aligned(n, argv + 1);
  float acc[LANES] = {0};
  for (int i = 0; i < n; i++)
    acc[i % LANES] += v[i];
  float total = 0;
  for (int l = 0; l < LANES; l++)
    total += acc[l];
  printf("%d samples, total %.1f\n", n, total);
  free(v);
  return 0;
}

// GOOD: 8 samples, total 36.0
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "posix_memalign"
// CHECK: buffer_function: "load_aligned"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "load"
// CHECK: kind: "heap-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "load"
// CHECK-NEXT: stack[1]: "load_aligned"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-aligned.c"
