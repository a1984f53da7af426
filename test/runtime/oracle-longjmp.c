// setjmp/longjmp: after a longjmp, __heal_unwind_to(depth of the setjmp caller) drops the
// skipped frames and releases their stack slots. 2000 longjmps out of two levels leave no
// stale frames (the next report's stack is exact) and no leaked slots; a slot whose slack
// was overwritten before the longjmp is found when unwind_to releases it, and named with
// its owner's frames.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1 %t/r2
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %expect_crash SIGSEGV %t/prog 2> %t/err0
// RUN: %report %t/r0 | FileCheck --check-prefix=AFTER %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGABRT %t/prog smash 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=SMASH %s --match-full-lines
// RUN: FileCheck --check-prefix=SMASH-ERR %s --match-full-lines < %t/err1

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(inner);
FUNCTION(middle);
FUNCTION(overflow_now);
FUNCTION(main);
SITE(inner, tmp, 24, 40);
SITE(middle, buf, 100, 50);
SITE(overflow_now, last, 8, 60);

static jmp_buf env;
static int smash;

__attribute__((noinline)) static void inner(int i) {
  ENTER(inner);
  char *tmp = STACK_BUF(inner, tmp, 24, 16); /* 16-aligned: 8 bytes of slack after it */
  memset(tmp, 1, 24);
  if (smash && i == 1000)
    tmp[24] = 0;
  longjmp(env, 1);
  LEAVE();
}

__attribute__((noinline)) static void middle(int i) {
  ENTER(middle);
  char *buf = STACK_BUF(middle, buf, 100, 1);
  memset(buf, 2, 100);
  inner(i);
  LEAVE();
}

__attribute__((noinline)) static void overflow_now(void) {
  ENTER(overflow_now);
  char *last = STACK_BUF(overflow_now, last, 8, 8);
  ((volatile char *)last)[8] = 1;
  LEAVE();
}

int main(int argc, char **argv) {
  ENTER(main);
  smash = argc > 1;
  for (volatile int i = 0; i < 2000; i++) {
    if (setjmp(env) == 0)
      middle(i);
    __heal_unwind_to(heal_depth_); /* what the pass emits after every setjmp return */
  }
  overflow_now();
  LEAVE();
  return 0;
}

// AFTER:      function: "overflow_now"
// AFTER:      kind: "stack-buffer-overflow"
// AFTER:      stack: #2
// AFTER-NEXT: stack[0]: "overflow_now"
// AFTER-NEXT: stack[1]: "main"

// SMASH:      buffer: "tmp"
// SMASH:      detected: "release"
// SMASH:      function: "inner"
// SMASH:      kind: "stack-buffer-overflow"
// SMASH-NEXT: mode: "oracle"
// SMASH-NEXT: offset: 24
// SMASH:      stack: #3
// SMASH-NEXT: stack[0]: "inner"
// SMASH-NEXT: stack[1]: "middle"
// SMASH-NEXT: stack[2]: "main"
// SMASH-ERR: heal: stack-buffer-overflow in inner: 'tmp' (24 bytes, prog.c:40) was overwritten 1 byte past its end (found when it was released); stack: inner < middle < main; terminated; report: {{.*}}.json
