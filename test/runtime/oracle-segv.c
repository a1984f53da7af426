// A fault that is not a guard hit (a null pointer) in an Oracle program: kind "segv", but
// `function` and `stack` come from the shadow stack (the instrumented functions active at
// the fault; here the fault is inside libc's strlen called by measure), the machine frames
// stay in `frames`, and the Oracle's fields are there, null.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

#include <stdio.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(measure);
FUNCTION(main);

__attribute__((noinline)) static size_t measure(const char *s) {
  ENTER(measure);
  size_t n = strlen(s);
  LEAVE();
  return n;
}

int main(int argc, char **argv) {
  ENTER(main);
  printf("%zu\n", measure(argc > 5 ? argv[1] : NULL));
  LEAVE();
  return 0;
}

// CHECK:      access: null
// CHECK-NEXT: action: "terminated"
// CHECK-NEXT: address: "0x0"
// CHECK-NEXT: buffer: null
// CHECK-NEXT: buffer_file: null
// CHECK-NEXT: buffer_function: null
// CHECK-NEXT: buffer_line: null
// CHECK-NEXT: buffer_size: null
// CHECK-NEXT: code: "SEGV_MAPERR"
// CHECK-NEXT: detected: null
// CHECK-NEXT: frames: #{{[0-9]+}}
// CHECK-NEXT: frames[0]: {"pc": "0x{{[0-9a-f]+}}", "function": {{.*}}, "object": "{{.*}}libc.so.6", "offset": "0x{{[0-9a-f]+}}"}
// CHECK:      function: "measure"
// CHECK-NEXT: function_file: "prog.c"
// CHECK-NEXT: function_line: {{[0-9]+}}
// CHECK-NEXT: kind: "segv"
// CHECK-NEXT: mode: "oracle"
// CHECK-NEXT: offset: null
// CHECK:      stack: #2
// CHECK-NEXT: stack[0]: "measure"
// CHECK-NEXT: stack[1]: "main"
// ERR: heal: SIGSEGV (segv) at address 0x0 in measure (pc 0x{{[0-9a-f]+}}); stack: measure < main; terminated; report: {{.*}}.json
