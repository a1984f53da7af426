// A double free: glibc's malloc detects it and aborts. The report is written although the
// heap is corrupt (the runtime never allocates while reporting); among the aliases of
// libc's free the public name is shown.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s < %t/err

#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) void release(char *p) { free(p); }

int main(void) {
  char *p = malloc(32);
  memset(p, 1, 32);
  release(p);
  release(p);
  return 0;
}

// CHECK:      function: "abort"
// CHECK-NEXT: kind: "abort"
// CHECK:      stack[0]: "abort"
// CHECK:      stack[{{[0-9]+}}]: "free"
// CHECK-NEXT: stack[{{[0-9]+}}]: "release"
// CHECK-NEXT: stack[{{[0-9]+}}]: "main"
// ERR: free(): double free detected
// ERR-NEXT: heal: SIGABRT (abort) in abort
