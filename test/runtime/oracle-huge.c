// Buffers larger than the biggest size class (64 MiB) get a mapping of their own with
// guards on both sides: a heap block and a stack buffer of 80 MiB, overflow and use after
// free. Huge stack slots are unmapped when their frame returns.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1 %t/r2 %t/r3
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog good > %t/out0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog heap
// RUN: %report %t/r1 | FileCheck --check-prefix=HEAP %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGSEGV %t/prog uaf
// RUN: %report %t/r2 | FileCheck --check-prefix=UAF %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r3 %expect_crash SIGSEGV %t/prog stack
// RUN: %report %t/r3 | FileCheck --check-prefix=STACK %s --match-full-lines

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(big_frame);
FUNCTION(main);
SITE(big_frame, image, 0, 12);

#define BIG ((size_t)80 << 20)

__attribute__((noinline)) static int big_frame(int crash) {
  ENTER(big_frame);
  char *image = __heal_stack_alloc(BIG, 16, &site_big_frame_image);
  image[0] = 1;
  image[BIG - 1] = 2;
  if (crash)
    ((volatile char *)image)[BIG] = 3;
  int r = image[0] + image[BIG - 1];
  LEAVE();
  return r;
}

int main(int argc, char **argv) {
  ENTER(main);
  const char *what = argc > 1 ? argv[1] : "good";
  char *h = malloc(BIG);
  h[BIG - 1] = 7;
  if (!strcmp(what, "heap"))
    ((volatile char *)h)[BIG] = 1;
  int sum = 0;
  for (int i = 0; i < 5; i++) /* mapped and unmapped each time */
    sum += big_frame(!strcmp(what, "stack"));
  free(h);
  if (!strcmp(what, "uaf"))
    sum += ((volatile char *)h)[100];
  for (int i = 0; i < 300; i++) { /* more huge blocks than entries: oldest leave quarantine */
    char *p = malloc(BIG + (size_t)i);
    p[i] = 1;
    free(p);
  }
  printf("sum %d\n", sum);
  LEAVE();
  return 0;
}

// GOOD: sum 15

// HEAP:      buffer: "malloc"
// HEAP:      buffer_size: 83886080
// HEAP:      kind: "heap-buffer-overflow"
// HEAP-NEXT: mode: "oracle"
// HEAP-NEXT: offset: 83886080

// UAF:      function: "main"
// UAF:      kind: "use-after-free"
// UAF-NEXT: mode: "oracle"
// UAF-NEXT: offset: 100

// STACK:      buffer: "image"
// STACK:      function: "big_frame"
// STACK:      kind: "stack-buffer-overflow"
// STACK-NEXT: mode: "oracle"
// STACK-NEXT: offset: 83886080
