// Signal handlers nest on the shadow stack like calls: a handler that runs while the
// program is in the middle of allocating and releasing slots takes and releases its own
// (thousands of timer signals, no report); an overflow in a handler names the handler on
// top of the frames it interrupted.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog > %t/out0 2> %t/err0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=NONE %s < %t/err0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog crash 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=CRASH %s --match-full-lines

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(on_alarm);
FUNCTION(work);
FUNCTION(main);
SITE(on_alarm, note, 40, 10);
SITE(work, scratch, 500, 20);

static volatile int crash, handled, bad;

static void on_alarm(int sig) {
  (void)sig;
  ENTER(on_alarm);
  char *note = STACK_BUF(on_alarm, note, 40, 8);
  memset(note, 'n', 40);
  if (note[39] != 'n')
    bad = 1;
  if (crash && handled == 20)
    ((volatile char *)note)[40] = 0;
  handled++;
  LEAVE();
}

__attribute__((noinline)) static void work(int i) {
  ENTER(work);
  char *scratch = STACK_BUF(work, scratch, 500 - (uint64_t)(i % 400), 1 << (i % 5));
  memset(scratch, i, 100);
  if (scratch[99] != (char)i)
    bad = 1;
  LEAVE();
}

int main(int argc, char **argv) {
  ENTER(main);
  crash = argc > 1;
  signal(SIGALRM, on_alarm);
  struct itimerval it = {{0, 100}, {0, 100}};
  setitimer(ITIMER_REAL, &it, NULL);
  for (int i = 0; handled < 300; i++)
    work(i);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("handled enough, bad=%d\n", bad);
  LEAVE();
  return 0;
}

// GOOD: handled enough, bad=0
// NONE-NOT: heal

// CRASH:      buffer: "note"
// CRASH:      function: "on_alarm"
// CRASH:      kind: "stack-buffer-overflow"
// CRASH:      stack[0]: "on_alarm"
// CRASH:      stack[{{[12]}}]: "main"
