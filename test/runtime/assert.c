// A failed assert(): libc prints its message, then abort() raises SIGABRT.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s < %t/err

#include <assert.h>

__attribute__((noinline)) int checked_index(int i, int n) {
  assert(i < n && "index in range");
  return i;
}

int main(void) { return checked_index(5, 3); }

// CHECK:      function: "abort"
// CHECK-NEXT: kind: "abort"
// CHECK:      signal: "SIGABRT"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "abort"
// CHECK:      stack[{{[0-9]}}]: "__assert_fail"
// CHECK-NEXT: stack[{{[0-9]}}]: "checked_index"
// CHECK-NEXT: stack[{{[0-9]}}]: "main"

// ERR: prog: {{.*}}assert.c:11: int checked_index(int, int): Assertion `i < n && "index in range"' failed.
// ERR-NEXT: heal: SIGABRT (abort) in abort (pc 0x{{[0-9a-f]+}}); stack: abort < {{.*}}__assert_fail < checked_index < main < {{.*}}; terminated; report: {{.*}}.json
