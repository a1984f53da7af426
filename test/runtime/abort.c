// abort(): SIGABRT sent by the process to itself is a fault. The libc frames below
// abort() (raise, pthread_kill) are dropped: the report starts at abort.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

#include <stdlib.h>

__attribute__((noinline)) void give_up(void) { abort(); }
__attribute__((noinline)) void validate(int ok) {
  if (!ok)
    give_up();
}

int main(void) {
  validate(0);
  return 0;
}

// CHECK:      action: "terminated"
// CHECK-NEXT: address: null
// CHECK:      code: "SI_TKILL"
// CHECK-NEXT: frames: #{{[0-9]+}}
// CHECK-NEXT: frames[0]: {"pc": "[[PC:0x[0-9a-f]+]]", "function": "abort", "object": "{{.*}}libc.so.6", "offset": "0x{{[0-9a-f]+}}"}
// CHECK:      function: "abort"
// CHECK-NEXT: kind: "abort"
// CHECK-NEXT: mode: "sensor"
// CHECK-NEXT: offset: null
// CHECK-NEXT: pc: "[[PC]]"
// CHECK:      signal: "SIGABRT"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "abort"
// CHECK-NEXT: stack[1]: "give_up"
// CHECK-NEXT: stack[2]: "validate"
// CHECK-NEXT: stack[3]: "main"

// ERR: heal: SIGABRT (abort) in abort (pc [[PC:0x[0-9a-f]+]]); stack: abort < give_up < validate < main < {{.*}}; terminated; report: {{.*}}.json
