// -O2 code, where clang omits frame pointers: the DWARF unwinder still gives the exact
// stack (the calls are not tail calls, and noinline keeps the functions).
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O2 %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog abc 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: %python %S/Inputs/check-frames.py %t/r | FileCheck --check-prefix=FRAMES %s

#include <stddef.h>

__attribute__((noinline)) int checksum(const char *s, int *out) {
  int n = 0;
  while (*s)
    n = n * 31 + *s++;
  *out = n;
  return n;
}

__attribute__((noinline)) int load(const char *s, int *out) { return checksum(s, out) + 1; }

int main(int argc, char **argv) {
  int x;
  return load(argv[1], argc > 2 ? &x : NULL) & 1;
}

// CHECK:      function: "checksum"
// CHECK-NEXT: kind: "segv"
// CHECK:      stack[0]: "checksum"
// CHECK-NEXT: stack[1]: "load"
// CHECK-NEXT: stack[2]: "main"
// FRAMES: frames ok:
