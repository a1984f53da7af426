// Transactions in a static link (libheal_rt.a): no interposed longjmp there, so a
// longjmp out of a transaction is handled by the lazy checks alone -- the next begin
// drops the dead frame -- and the faults after it still abort the right transaction.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"step"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g -static %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <setjmp.h>
#include <stdio.h>

static jmp_buf out;
static int *volatile nowhere;

int step(int k) {
  if (k == 1)
    longjmp(out, 1);
  if (k == 2 || k == 4)
    return *nowhere;
  return k * 10;
}

int main(void) {
  for (int k = 0; k < 6; k++) {
    if (setjmp(out)) {
      printf("%d: jumped out\n", k);
      continue;
    }
    printf("%d: %d\n", k, step(k));
  }
  return 0;
}

// OUT: 0: 0
// OUT-NEXT: 1: jumped out
// OUT-NEXT: 2: -1
// OUT-NEXT: 3: 30
// OUT-NEXT: 4: -1
// OUT-NEXT: 5: 50

// ERR: heal: recovered from SIGSEGV (segv) in step: returned -1 to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in step: returned -1 to main (recovery 2)
// ERR-NOT: heal:
