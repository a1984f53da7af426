// Nested transactions: load_all (a transaction) calls parse_item (a transaction) per item.
// A bad item aborts only the inner transaction: parse_item returns -1, load_all counts it
// and goes on. A fault in load_all itself (after the loop) aborts the outer one.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"parse_item"},{"function":"load_all","return":-2}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: %t/prog 3 > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <stdio.h>
#include <stdlib.h>

static const char *items[] = {"12", "7", "x", "30", "y"};
static int *volatile nowhere;

int parse_item(const char *s) {
  if (*s < '0' || *s > '9')
    return *nowhere; /* the bug: a non-number dereferences nothing */
  return atoi(s);
}

int load_all(int crash_after) {
  int sum = 0, bad = 0;
  for (int i = 0; i < 5; i++) {
    int v = parse_item(items[i]);
    if (v < 0) {
      bad++;
      continue;
    }
    sum += v;
  }
  printf("sum %d, %d bad\n", sum, bad);
  if (crash_after == 3)
    abort(); /* the outer transaction's own fault */
  return sum;
}

int main(int argc, char **argv) {
  int r = load_all(argc > 1 ? atoi(argv[1]) : 0);
  printf("load_all: %d\n", r);
  r = load_all(0);
  printf("load_all: %d\n", r);
  return 0;
}

// OUT: sum 49, 2 bad
// OUT-NEXT: load_all: -2
// OUT-NEXT: sum 49, 2 bad
// OUT-NEXT: load_all: 49

// ERR: heal: recovered from SIGSEGV (segv) in parse_item: returned -1 to load_all
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in parse_item: returned -1 to load_all (recovery 2)
// ERR-NEXT: heal: recovered from SIGABRT (abort) in load_all: returned -2 to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in parse_item: returned -1 to load_all (recovery 3)
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in parse_item: returned -1 to load_all (recovery 4)
// ERR-NOT: heal:
