// Guarded stack slots: the buffer ends at the back guard, so a 1-byte overflow faults on
// the first byte past it; with HEAL_ORACLE_ALIGN=left it starts at the front guard, so a
// 1-byte underflow faults too. Right-aligned, that underflow lands in the canary-filled
// slack and is found when the frame releases the buffer. An index 8000 bytes out stays in
// a guard. A correct run prints the same as ever and writes no report.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1 %t/r2 %t/r3 %t/r4 %t/r5
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog 0 > %t/out0 2> %t/err0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=NONE %s < %t/err0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog 32 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=OVER %s --match-full-lines
// RUN: FileCheck --check-prefix=OVER-ERR %s --match-full-lines < %t/err1
// RUN: env HEAL_REPORT_DIR=%t/r2 HEAL_ORACLE_ALIGN=left %expect_crash SIGSEGV %t/prog -1 2> %t/err2
// RUN: %report %t/r2 | FileCheck --check-prefix=UNDER %s --match-full-lines
// RUN: FileCheck --check-prefix=UNDER-ERR %s --match-full-lines < %t/err2
// RUN: env HEAL_REPORT_DIR=%t/r3 %expect_crash SIGABRT %t/prog -1 2> %t/err3
// RUN: %report %t/r3 | FileCheck --check-prefix=RELEASE %s --match-full-lines
// RUN: FileCheck --check-prefix=RELEASE-ERR %s --match-full-lines < %t/err3
// RUN: env HEAL_REPORT_DIR=%t/r4 %expect_crash SIGSEGV %t/prog 8000 2> %t/err4
// RUN: %report %t/r4 | FileCheck --check-prefix=FAR %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r5 %expect_crash SIGSEGV %t/prog -8000 2> %t/err5
// RUN: %report %t/r5 | FileCheck --check-prefix=FARUNDER %s --match-full-lines

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(parse_line);
FUNCTION(process);
FUNCTION(main);
SITE(parse_line, value, 32, 17);

__attribute__((noinline)) int parse_line(long i) {
  ENTER(parse_line);
  char *value = STACK_BUF(parse_line, value, 32, 1);
  memset(value, 'x', 32);
  *(volatile char *)(value + i) = 'y';
  int r = value[0] + value[31];
  LEAVE();
  return r;
}

__attribute__((noinline)) int process(long i) {
  ENTER(process);
  int r = parse_line(i);
  LEAVE();
  return r;
}

int main(int argc, char **argv) {
  ENTER(main);
  long i = argc > 1 ? atol(argv[1]) : 0;
  int r = process(i);
  printf("result %d\n", r);
  LEAVE();
  return 0;
}

// GOOD: result 241
// NONE-NOT: heal

// OVER:      access: "write"
// OVER-NEXT: action: "terminated"
// OVER-NEXT: address: "0x{{[0-9a-f]+}}"
// OVER-NEXT: buffer: "value"
// OVER-NEXT: buffer_file: "prog.c"
// OVER-NEXT: buffer_function: "parse_line"
// OVER-NEXT: buffer_line: 17
// OVER-NEXT: buffer_size: 32
// OVER-NEXT: code: "SEGV_MAPERR"
// OVER-NEXT: detected: "access"
// OVER:      function: "parse_line"
// OVER-NEXT: function_file: "prog.c"
// OVER-NEXT: function_line: {{[0-9]+}}
// OVER-NEXT: kind: "stack-buffer-overflow"
// OVER-NEXT: mode: "oracle"
// OVER-NEXT: offset: 32
// OVER:      signal: "SIGSEGV"
// OVER-NEXT: stack: #3
// OVER-NEXT: stack[0]: "parse_line"
// OVER-NEXT: stack[1]: "process"
// OVER-NEXT: stack[2]: "main"
// OVER-ERR: heal: stack-buffer-overflow in parse_line: write 1 byte past the end of 'value' (32 bytes, prog.c:17); stack: parse_line < process < main; terminated; report: {{.*}}.json

// UNDER:      access: "write"
// UNDER:      buffer: "value"
// UNDER:      detected: "access"
// UNDER:      kind: "stack-buffer-underflow"
// UNDER-NEXT: mode: "oracle"
// UNDER-NEXT: offset: -1
// UNDER-ERR: heal: stack-buffer-underflow in parse_line: write 1 byte before the start of 'value' (32 bytes, prog.c:17); stack: parse_line < process < main; terminated; report: {{.*}}.json

// RELEASE:      access: null
// RELEASE:      buffer: "value"
// RELEASE:      code: null
// RELEASE-NEXT: detected: "release"
// RELEASE:      function: "parse_line"
// RELEASE:      kind: "stack-buffer-underflow"
// RELEASE-NEXT: mode: "oracle"
// RELEASE-NEXT: offset: -1
// RELEASE:      signal: "SIGABRT"
// RELEASE-NEXT: stack: #3
// RELEASE-NEXT: stack[0]: "parse_line"
// RELEASE-ERR: heal: stack-buffer-underflow in parse_line: 'value' (32 bytes, prog.c:17) was overwritten 1 byte before its start (found when it was released); stack: parse_line < process < main; terminated; report: {{.*}}.json

// FAR:      kind: "stack-buffer-overflow"
// FAR-NEXT: mode: "oracle"
// FAR-NEXT: offset: 8000
// FARUNDER:      kind: "stack-buffer-underflow"
// FARUNDER-NEXT: mode: "oracle"
// FARUNDER-NEXT: offset: -8000
