// Memory is bounded: with HEAL_ORACLE_MAX_MB=1 the 257th live 4 KiB slot exceeds the cap;
// the runtime writes one report (kind "oracle-exhausted", the note says what ran out, one
// stderr line) and dies of SIGABRT. The older kernels' path (mprotect guards, forced
// here) behaves the same.
// RUN: rm -rf %t && mkdir -p %t/r %t/r2
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_ORACLE_MAX_MB=1 HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog 2> %t/err
// RUN: FileCheck %s < %t/err
// RUN: %report %t/r | FileCheck --check-prefix=REPORT %s --match-full-lines
// RUN: env HEAL_ORACLE_NO_GUARD_MARKERS=1 HEAL_ORACLE_MAX_MB=1 HEAL_REPORT_DIR=%t/r2 %expect_crash SIGABRT %t/prog 2> %t/err2
// RUN: FileCheck %s < %t/err2

#include <stdio.h>
#include <stdlib.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(hoard);

static char *volatile sink;

__attribute__((noinline)) static void hoard(void) {
  ENTER(hoard);
  for (int i = 0; i < 1000; i++) {
    char *p = malloc(100);
    p[0] = 1;
    sink = p;
    if (i == 100)
      printf("100 live blocks\n");
  }
  LEAVE();
}

int main(void) {
  hoard();
  return 0;
}

// CHECK: heal: oracle-exhausted in hoard: the Oracle ran out of memory for guarded slots: 1056 KiB carved, limit 1024 KiB (HEAL_ORACLE_MAX_MB); see docs/runtime.md, "Oracle limits"; stack: hoard; terminated; report: {{.*}}.json
// CHECK-NOT: heal:

// REPORT:      function: "hoard"
// REPORT-NEXT: function_file: "prog.c"
// REPORT:      kind: "oracle-exhausted"
// REPORT-NEXT: mode: "oracle"
// REPORT-NEXT: note: "the Oracle ran out of memory for guarded slots: 1056 KiB carved, limit 1024 KiB (HEAL_ORACLE_MAX_MB); see docs/runtime.md, \"Oracle limits\""
// REPORT:      signal: "SIGABRT"
