// SIGFPE: integer division by zero. The fault address of SIGFPE is the instruction.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGFPE %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err
// RUN: %python %S/Inputs/check-frames.py %t/r | FileCheck --check-prefix=FRAMES %s

__attribute__((noinline)) int divide(int a, volatile int b) { return a / b; }
__attribute__((noinline)) int average(int sum, int n) { return divide(sum, n); }

int main(int argc, char **argv) {
  (void)argv;
  return average(10, argc - 1);
}

// CHECK:      action: "terminated"
// CHECK-NEXT: address: "[[PC:0x[0-9a-f]+]]"
// CHECK:      code: "FPE_INTDIV"
// CHECK:      function: "divide"
// CHECK-NEXT: kind: "fpe"
// CHECK-NEXT: mode: "sensor"
// CHECK-NEXT: offset: null
// CHECK-NEXT: pc: "[[PC]]"
// CHECK:      signal: "SIGFPE"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "divide"
// CHECK-NEXT: stack[1]: "average"
// CHECK-NEXT: stack[2]: "main"

// ERR: heal: SIGFPE (fpe) at address [[PC:0x[0-9a-f]+]] in divide (pc [[PC]]); stack: divide < average < main < {{.*}}; terminated; report: {{.*}}.json

// FRAMES: frames ok:
