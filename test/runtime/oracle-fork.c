// fork: the slot allocator's locks are taken around fork (pthread_atfork), so a child
// forked while another thread allocates can allocate and free at once; its slots, shadow
// stack and quarantine are its own copy. A child that overflows a heap block is reported
// (with the child's pid) and the parent goes on.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1
// RUN: %clang -O1 -g -pthread -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog > %t/out0 2> %t/err0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=NONE %s < %t/err0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %t/prog crash > %t/out1 2> %t/err1
// RUN: FileCheck --check-prefix=CRASH-OUT %s < %t/out1
// RUN: %report %t/r1 | FileCheck --check-prefix=CRASH %s --match-full-lines

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(churn);
FUNCTION(child_work);
FUNCTION(main);
SITE(churn, tmp, 200, 20);
SITE(child_work, local, 50, 30);

static volatile int stop;
static void *volatile sink;

__attribute__((noinline)) static void churn_once(int i) {
  ENTER(churn);
  char *tmp = STACK_BUF(churn, tmp, 200, 8);
  memset(tmp, i, 200);
  sink = malloc((size_t)(i % 300) + 1);
  free(sink);
  LEAVE();
}

static void *churner(void *arg) {
  (void)arg;
  for (int i = 0; !stop; i++)
    churn_once(i);
  return NULL;
}

__attribute__((noinline)) static int child_work(int crash) {
  ENTER(child_work);
  char *local = STACK_BUF(child_work, local, 50, 1);
  int sum = 0;
  for (int i = 0; i < 2000; i++) {
    char *p = malloc(100);
    memset(p, 1, 100);
    memcpy(local, p, 50);
    sum += local[49];
    free(p);
  }
  if (crash) {
    char *p = malloc(32);
    ((volatile char *)p)[32] = 1;
  }
  LEAVE();
  return sum;
}

int main(int argc, char **argv) {
  ENTER(main);
  int crash = argc > 1;
  pthread_t t;
  pthread_create(&t, NULL, churner, NULL);
  int ok = 0;
  for (int k = 0; k < 20; k++) {
    pid_t pid = fork();
    if (pid == 0)
      _exit(child_work(crash && k == 5) == 2000 ? 0 : 1);
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
      ok++;
    else if (WIFSIGNALED(status))
      printf("child %d died of signal %d\n", k, WTERMSIG(status));
  }
  stop = 1;
  pthread_join(t, NULL);
  printf("children ok: %d\n", ok);
  LEAVE();
  return 0;
}

// GOOD: children ok: 20
// NONE-NOT: heal

// CRASH-OUT: child 5 died of signal 11
// CRASH-OUT: children ok: 19

// CRASH:      function: "child_work"
// CRASH:      kind: "heap-buffer-overflow"
// CRASH:      stack: #2
// CRASH-NEXT: stack[0]: "child_work"
// CRASH-NEXT: stack[1]: "main"
