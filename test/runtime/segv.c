// A null pointer write: one report with the faulting function, the exact call stack, the
// fault address and PC, and the process dies of SIGSEGV as it would without heal.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err
// RUN: %python %S/Inputs/check-frames.py %t/r | FileCheck --check-prefix=FRAMES %s

#include <stddef.h>

__attribute__((noinline)) static void crash_here(int *p) { *p = 42; }
__attribute__((noinline)) void helper(int *p) { crash_here(p); }

int main(int argc, char **argv) {
  (void)argv;
  helper(argc > 100 ? &argc : NULL);
  return 0;
}

// CHECK:      action: "terminated"
// CHECK-NEXT: address: "0x0"
// CHECK-NEXT: buffer: null
// CHECK-NEXT: buffer_size: null
// CHECK-NEXT: code: "SEGV_MAPERR"
// CHECK-NEXT: frames: #{{[0-9]+}}
// CHECK-NEXT: frames[0]: {"pc": "[[PC:0x[0-9a-f]+]]", "function": "crash_here", "object": "{{.*}}/prog", "offset": "0x{{[0-9a-f]+}}"}
// CHECK-NEXT: frames[1]: {"pc": "0x{{[0-9a-f]+}}", "function": "helper", "object": "{{.*}}/prog", "offset": "0x{{[0-9a-f]+}}"}
// CHECK-NEXT: frames[2]: {"pc": "0x{{[0-9a-f]+}}", "function": "main", "object": "{{.*}}/prog", "offset": "0x{{[0-9a-f]+}}"}
// CHECK:      function: "crash_here"
// CHECK-NEXT: kind: "segv"
// CHECK-NEXT: mode: "sensor"
// CHECK-NEXT: offset: null
// CHECK-NEXT: pc: "[[PC]]"
// CHECK-NEXT: pid: [[PID:[0-9]+]]
// CHECK-NEXT: program: "{{.*}}/prog"
// CHECK-NEXT: return_value: null
// CHECK-NEXT: signal: "SIGSEGV"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "crash_here"
// CHECK-NEXT: stack[1]: "helper"
// CHECK-NEXT: stack[2]: "main"
// CHECK:      tid: [[PID]]
// CHECK-NEXT: transaction: null
// CHECK-NEXT: version: 1

// ERR: heal: SIGSEGV (segv) at address 0x0 in crash_here (pc 0x{{[0-9a-f]+}}); stack: crash_here < helper < main < {{.*}}; terminated; report: {{.*}}/r/heal-{{[0-9]+}}-{{[0-9]+}}-1.json

// FRAMES: frames ok:
