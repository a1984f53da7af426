// HEAL_ORACLE_HEAP=0 serves the heap from glibc (stack buffers stay guarded): a block's
// first byte past the end is then ordinary memory, malloc_usable_size is glibc's, and a
// stack overflow is still reported. Without the switch the same heap overflow faults.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1 %t/r2
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_ORACLE_HEAP=0 HEAL_REPORT_DIR=%t/r0 %t/prog heap > %t/out0
// RUN: FileCheck --check-prefix=OFF %s < %t/out0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_ORACLE_HEAP=0 HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog stack
// RUN: %report %t/r1 | FileCheck --check-prefix=STACK %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGSEGV %t/prog heap
// RUN: %report %t/r2 | FileCheck --check-prefix=ON %s --match-full-lines

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(main);
SITE(main, line, 16, 20);

static char *volatile sink;

int main(int argc, char **argv) {
  ENTER(main);
  const char *what = argc > 1 ? argv[1] : "heap";
  char *p = malloc(32);
  sink = p;
  if (!strcmp(what, "heap"))
    sink[32] = 1;
  char *d = strdup("abc");
  char *line = STACK_BUF(main, line, 16, 1);
  if (!strcmp(what, "stack"))
    ((volatile char *)line)[16] = 1;
  printf("usable >= 32: %d, %s\n", malloc_usable_size(p) >= 32, d);
  free(d);
  free(p);
  LEAVE();
  return 0;
}

// OFF: usable >= 32: 1, abc
// STACK: kind: "stack-buffer-overflow"
// ON: kind: "heap-buffer-overflow"
