// Unbounded recursion exhausts the main thread's stack. The handler runs on the alternate
// stack, so the report is still written; kind is "stack-overflow" because the fault is
// at the stack pointer, and the (bounded) stack shows the recursive function.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

__attribute__((noinline)) int descend(int depth) {
  volatile char frame[512];
  frame[0] = (char)depth;
  return descend(depth + 1) + frame[0];
}

int main(void) { return descend(0); }

// CHECK:      action: "terminated"
// CHECK-NEXT: address: "0x{{[0-9a-f]+}}"
// CHECK:      frames: #64
// CHECK:      function: "descend"
// CHECK-NEXT: kind: "stack-overflow"
// CHECK:      signal: "SIGSEGV"
// CHECK-NEXT: stack: #64
// CHECK-NEXT: stack[0]: "descend"
// CHECK-NEXT: stack[1]: "descend"
// CHECK:      stack[63]: "descend"

// ERR: heal: SIGSEGV (stack-overflow) at address 0x{{[0-9a-f]+}} in descend (pc 0x{{[0-9a-f]+}}); stack: descend < descend < {{.*}} < descend < ...; terminated; report: {{.*}}.json
