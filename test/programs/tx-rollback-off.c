// The policy's rollback switch reaches the runtime: two identical functions bump a global
// counter and then fault. With rollback on (the default) the abort undoes the bump; with
// "rollback": false it stays. (Rollback itself is tested by the undo-*.c tests.)
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"bump_on"},{"function":"bump_off","rollback":false}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
#include <stdio.h>

static int *volatile nowhere;
int counter = 100;

int bump_on(int fault) {
  counter++;
  if (fault)
    return *nowhere;
  return counter;
}

int bump_off(int fault) {
  counter++;
  if (fault)
    return *nowhere;
  return counter;
}

int main(void) {
  int r = bump_on(1);
  printf("on: %d, counter %d\n", r, counter);
  r = bump_off(1);
  printf("off: %d, counter %d\n", r, counter);
  r = bump_on(0);
  printf("on: %d, counter %d\n", r, counter);
  return 0;
}

// OUT: on: -1, counter 100
// OUT-NEXT: off: -1, counter 101
// OUT-NEXT: on: 102, counter 102
