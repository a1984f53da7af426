// A call through a null function pointer: the PC is 0, which has no unwind table; the
// caller is found from the return address on top of the stack, then frame pointers.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

#include <stddef.h>

typedef void (*callback)(int);

__attribute__((noinline)) void notify(callback cb) { cb(1); }
__attribute__((noinline)) void on_event(void) { notify(NULL); }

int main(void) {
  on_event();
  return 0;
}

// CHECK:      address: "0x0"
// CHECK:      frames[0]: {"pc": "0x0", "function": null, "object": null, "offset": null}
// CHECK:      function: null
// CHECK-NEXT: kind: "segv"
// CHECK:      pc: "0x0"
// CHECK:      stack[0]: "??"
// CHECK-NEXT: stack[1]: "notify"
// CHECK-NEXT: stack[2]: "on_event"
// CHECK-NEXT: stack[3]: "main"
// ERR: heal: SIGSEGV (segv) at address 0x0 in ?? (pc 0x0); stack: ?? < notify < on_event < main{{.*}}; terminated; report: {{.*}}.json
