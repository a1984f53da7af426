// After a recovery from abort() the process must still catch the next faults: glibc's
// abort() is left mid-way by the jump (its signal mask and state), so this checks a
// second abort() on the same thread, an abort() on another thread, a failed assert and
// then a fault outside any transaction, which terminates with a report as without heal.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"check"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g -pthread %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

int check(int v) {
  if (v == 1)
    abort();
  assert(v != 2);
  return v * 10;
}

static void *other(void *p) {
  (void)p;
  printf("thread: %d\n", check(1));
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("first: %d\n", check(1));
  printf("second: %d\n", check(1));
  pthread_t t;
  pthread_create(&t, NULL, other, NULL);
  pthread_join(t, NULL);
  printf("assert: %d\n", check(2));
  printf("fine: %d\n", check(3));
  abort(); /* outside any transaction */
}

// OUT: first: -1
// OUT-NEXT: second: -1
// OUT-NEXT: thread: -1
// OUT-NEXT: assert: -1
// OUT-NEXT: fine: 30

// ERR: heal: recovered from SIGABRT (abort) in check: returned -1 to main
// ERR-NEXT: heal: recovered from SIGABRT (abort) in check: returned -1 to main (recovery 2)
// ERR-NEXT: heal: recovered from SIGABRT (abort) in check: returned -1 to other (recovery 3)
// ERR-NEXT: {{.*}}Assertion `v != 2' failed.
// ERR-NEXT: heal: recovered from SIGABRT (abort) in check: returned -1 to main (recovery 4)
// ERR-NEXT: heal: SIGABRT (abort) in abort (pc {{.*}}); stack: abort < main < {{.*}}; terminated; report: {{.*}}
// ERR-NOT: heal:
