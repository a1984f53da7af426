// Bounded memory: a million enter/alloc/exit cycles (and slot marks in a loop, as for a
// VLA) reuse the same slots, and 50000 heap blocks cycle through the quarantine, without
// the resident set growing (the program measures /proc/self/statm itself).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_ORACLE_QUARANTINE_MB=16 %t/prog | FileCheck %s

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(step);
FUNCTION(main);
SITE(step, a, 64, 10);
SITE(step, b, 3000, 11);
SITE(step, vla, 0, 12);

static long resident_kib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size = 0, res = 0;
  if (!f || fscanf(f, "%ld %ld", &size, &res) != 2)
    return -1;
  fclose(f);
  return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void *volatile sink;

__attribute__((noinline)) static void step(int i) {
  ENTER(step);
  char *a = STACK_BUF(step, a, 64, 8);
  char *b = STACK_BUF(step, b, 3000, 16);
  a[0] = b[0] = (char)i;
  for (int k = 0; k < 3; k++) { /* a VLA inside a loop */
    uint64_t m = __heal_slot_mark();
    char *v = __heal_stack_alloc((uint64_t)(i % 100) + 1, 1, &site_step_vla);
    v[0] = 1;
    __heal_slot_release(m);
  }
  LEAVE();
}

int main(void) {
  ENTER(main);
  for (int i = 0; i < 1000; i++) /* warm up */
    step(i);
  long before = resident_kib();
  for (int i = 0; i < 1000000; i++)
    step(i);
  long after = resident_kib();
  printf("stack: grew %s\n", after - before < 1024 ? "less than 1 MiB" : "too much");
  if (after - before >= 1024)
    printf("  %ld KiB -> %ld KiB\n", before, after);

  for (int i = 0; i < 5000; i++) { /* fill the quarantine (16 MiB = 4096 slots) */
    sink = malloc(100);
    free(sink);
  }
  before = resident_kib();
  for (int i = 0; i < 50000; i++) {
    char *p = malloc((size_t)(i % 4000) + 1);
    memset(p, 1, (size_t)(i % 4000) + 1);
    sink = p;
    free(p);
  }
  after = resident_kib();
  printf("heap: grew %s\n", after - before < 4096 ? "less than 4 MiB" : "too much");
  if (after - before >= 4096)
    printf("  %ld KiB -> %ld KiB\n", before, after);
  LEAVE();
  return 0;
}

// CHECK: stack: grew less than 1 MiB
// CHECK: heap: grew less than 4 MiB
