// Return values by type when a transaction aborts: a pointer function returns NULL, a
// void function just returns, a double function 0, a struct returned through a hidden
// pointer is zeroed, a bool function false, an unsigned function 0 (the type rules of the
// synthesis: the callers do not test the results). Every function faults once; the
// program prints what the callers got.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"find"},{"function":"reset"},{"function":"ratio"},{"function":"make_box"},{"function":"valid"},{"function":"count"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <stdbool.h>
#include <stdio.h>

static int *volatile nowhere;
static int table[4] = {1, 2, 3, 4};

int *find(int k) {
  if (k == 9)
    return (int *)(long)*nowhere;
  return &table[k];
}

static int state = 5;
void reset(int k) {
  state = 0;
  if (k == 9)
    state = *nowhere;
}

double ratio(int k) {
  if (k == 9)
    return 1.0 / *nowhere;
  return k / 2.0;
}

struct box {
  long w, h, d, tag;
};
struct box make_box(int k) {
  struct box b = {k, k * 2, k * 3, 77};
  if (k == 9)
    b.tag = *nowhere;
  return b;
}

bool valid(int k) {
  if (k == 9)
    return *nowhere;
  return true;
}

unsigned count(int k) {
  if (k == 9)
    return (unsigned)*nowhere;
  return 42u + (unsigned)k;
}

int main(void) {
  int *p = find(9);
  printf("find: %s\n", p ? "found" : "NULL");
  reset(9);
  printf("reset: returned, state %d\n", state);
  printf("ratio: %g\n", ratio(9));
  struct box b = make_box(9);
  printf("box: %ld %ld %ld %ld\n", b.w, b.h, b.d, b.tag);
  printf("valid: %s\n", valid(9) ? "true" : "false");
  printf("count: %u\n", count(9));
  printf("again: %d %g %ld %u\n", *find(1), ratio(3), make_box(1).tag, count(1));
  return 0;
}

// OUT: find: NULL
// The write before the fault is rolled back (rollback is on by default).
// OUT-NEXT: reset: returned, state 5
// OUT-NEXT: ratio: 0
// OUT-NEXT: box: 0 0 0 0
// OUT-NEXT: valid: false
// OUT-NEXT: count: 0
// OUT-NEXT: again: 2 1.5 77 43

// ERR: heal: recovered from SIGSEGV (segv) in find: returned NULL to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in reset: returned to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in ratio: returned 0 to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in make_box: returned zero to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in valid: returned false to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in count: returned 0 to main
// ERR-NOT: heal:
