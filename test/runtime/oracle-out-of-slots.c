// Degradation: a recursion deeper than the Oracle can give guarded slots to (each frame
// holds a stack buffer; HEAL_ORACLE_MAX_MB=16 allows 4096 live 4 KiB slots) ends with one
// report, kind "oracle-exhausted", whose note says what ran out, one stderr line, and
// death by SIGABRT -- no hang, no silent corruption. The same depth runs with the default
// limit, and a shallow recursion runs under the small one.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: env HEAL_MODE=oracle %heal_cc -O1 -g %s -o %t/prog
// RUN: env HEAL_ORACLE_MAX_MB=16 %t/prog 1000 | FileCheck --check-prefix=GOOD %s
// RUN: %t/prog 20000 | FileCheck --check-prefix=DEEP %s
// RUN: env HEAL_ORACLE_MAX_MB=16 HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog 20000 > %t/out 2> %t/err
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err
// RUN: wc -l < %t/err | FileCheck --check-prefix=ONE %s
// RUN: %report %t/r | FileCheck %s --match-full-lines

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static unsigned long walk(int depth, int max) {
  char name[32]; /* a guarded slot per frame */
  snprintf(name, sizeof name, "level %d", depth);
  if (depth == max)
    return strlen(name);
  return walk(depth + 1, max) + (unsigned char)name[6];
}

int main(int argc, char **argv) {
  int max = argc > 1 ? atoi(argv[1]) : 10;
  printf("depth %d sum %lu\n", max, walk(0, max));
  return 0;
}

// GOOD: depth 1000 sum
// DEEP: depth 20000 sum

// ERR: heal: oracle-exhausted in walk: the Oracle ran out of memory for guarded slots: {{[0-9]+}} KiB carved, limit 16384 KiB (HEAL_ORACLE_MAX_MB); see docs/runtime.md, "Oracle limits"; stack: walk < walk < walk < walk < walk < walk < walk < walk < walk < walk < walk < walk < walk < walk < walk < walk < ...; terminated; report: {{.*}}.json
// ONE: 1

// CHECK:      action: "terminated"
// CHECK-NEXT: address: null
// CHECK-NEXT: buffer: null
// CHECK-NEXT: buffer_file: null
// CHECK-NEXT: buffer_function: null
// CHECK-NEXT: buffer_line: null
// CHECK-NEXT: buffer_size: null
// CHECK-NEXT: caller: null
// CHECK-NEXT: code: null
// CHECK-NEXT: detected: null
// CHECK:      function: "walk"
// CHECK:      kind: "oracle-exhausted"
// CHECK-NEXT: mode: "oracle"
// CHECK-NEXT: note: "the Oracle ran out of memory for guarded slots: {{[0-9]+}} KiB carved, limit 16384 KiB (HEAL_ORACLE_MAX_MB); see docs/runtime.md, \"Oracle limits\""
// CHECK:      signal: "SIGABRT"
// CHECK:      stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "walk"
// CHECK-NEXT: stack[1]: "walk"
