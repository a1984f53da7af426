// SIGILL: __builtin_trap() is ud2 on x86_64.
// REQUIRES: x86_64
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGILL %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

__attribute__((noinline)) void unreachable_state(int x) {
  if (x > 0)
    __builtin_trap();
}
__attribute__((noinline)) void step(int x) { unreachable_state(x); }

int main(void) {
  step(1);
  return 0;
}

// CHECK:      action: "terminated"
// CHECK-NEXT: address: "[[PC:0x[0-9a-f]+]]"
// CHECK:      code: "ILL_ILLOPN"
// CHECK:      function: "unreachable_state"
// CHECK-NEXT: kind: "ill"
// CHECK:      pc: "[[PC]]"
// CHECK:      signal: "SIGILL"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "unreachable_state"
// CHECK-NEXT: stack[1]: "step"
// CHECK-NEXT: stack[2]: "main"

// ERR: heal: SIGILL (ill) at address {{.*}} in unreachable_state (pc {{.*}}); stack: unreachable_state < step < main < {{.*}}; terminated; report: {{.*}}.json
