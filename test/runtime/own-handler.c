// A program that installs its own handlers (after heal's, in main) keeps full control:
// it recovers from its own SIGSEGV and SIGFPE with siglongjmp, and heal reports nothing.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out 2> %t/err
// RUN: FileCheck %s --match-full-lines < %t/out
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=ERR %s < %t/err
// RUN: not %report %t/r

#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;

static void on_fault(int sig) { siglongjmp(env, sig); }

__attribute__((noinline)) int divide(int a, volatile int b) { return a / b; }
__attribute__((noinline)) int load(volatile int *p) { return *p; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fault;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGFPE, &sa, NULL);
  int sig;
  if ((sig = sigsetjmp(env, 1)) == 0)
    divide(1, 0);
  printf("recovered from signal %d\n", sig);
  if ((sig = sigsetjmp(env, 1)) == 0)
    load(NULL);
  printf("recovered from signal %d\n", sig);
  return 0;
}

// CHECK:      recovered from signal 8
// CHECK-NEXT: recovered from signal 11
// ERR-NOT: heal
