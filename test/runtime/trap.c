// SIGTRAP: __builtin_debugtrap() is int3 on x86_64; the kernel gives no fault address
// (SI_KERNEL), and the PC is the instruction after int3, still inside the function.
// REQUIRES: x86_64
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGTRAP %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

__attribute__((noinline)) int breakpoint_here(int x) {
  __builtin_debugtrap();
  return x + 1;
}
__attribute__((noinline)) int caller(int x) { return breakpoint_here(x) * 2; }

int main(void) { return caller(1); }

// CHECK:      action: "terminated"
// CHECK-NEXT: address: null
// CHECK:      code: "SI_KERNEL"
// CHECK:      function: "breakpoint_here"
// CHECK-NEXT: kind: "trap"
// CHECK:      signal: "SIGTRAP"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "breakpoint_here"
// CHECK-NEXT: stack[1]: "caller"
// CHECK-NEXT: stack[2]: "main"

// ERR: heal: SIGTRAP (trap) in breakpoint_here (pc 0x{{[0-9a-f]+}}); stack: breakpoint_here < caller < main < {{.*}}; terminated; report: {{.*}}.json
