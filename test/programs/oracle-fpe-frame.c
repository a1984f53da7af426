// A division by zero is reported in the function whose code divides, at -O2: the
// optimizer must not move the division past the frame's exit (the division's result is
// only used after it) nor into an inlined callee that uses the quotient. `divide` returns
// the quotient; `scaled` passes it to `twice`, which is inlined into it.
// RUN: rm -rf %t && mkdir -p %t/g %t/r1 %t/r2
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 7 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGFPE %t/oracle 0
// RUN: %report %t/r1 | FileCheck --check-prefix=DIV %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGFPE %t/oracle 0 scaled
// RUN: %report %t/r2 | FileCheck --check-prefix=SCALED %s --match-full-lines
#include <stdio.h>
#include <stdlib.h>

static volatile int hundred = 100;

__attribute__((noinline)) static int divide(int n) { return hundred / n; }

static int twice(int q) { return q * 2; }

__attribute__((noinline)) static int scaled(int n) {
  int q = hundred / n;
  return twice(q) + 1;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  if (argc > 2)
    printf("%d\n", scaled(n));
  else
    printf("%d\n", divide(n));
  return 0;
}

// GOOD: 14
// GOOD-NEXT: status: exit 0

// DIV: function: "divide"
// DIV: signal: "SIGFPE"
// DIV: stack: #2
// DIV-NEXT: stack[0]: "divide"
// DIV-NEXT: stack[1]: "main"

// SCALED: function: "scaled"
// SCALED: signal: "SIGFPE"
// SCALED: stack: #2
// SCALED-NEXT: stack[0]: "scaled"
// SCALED-NEXT: stack[1]: "main"
