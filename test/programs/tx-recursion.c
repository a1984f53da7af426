// A recursive transaction: depth(n) calls depth(n - 1) down to 0 and faults at level
// `bad`. Only the innermost transaction (the call at level bad) aborts and returns -1; the
// levels above it see the error and return it up, each still committing normally. Then a
// deeper call without the fault runs cleanly: the aborted levels left no stale frames.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"depth"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

static int *volatile nowhere;
static volatile int bad = 3;

int depth(int n) {
  char note[32];
  snprintf(note, sizeof note, "level %d", n);
  if (n == bad)
    return *nowhere;
  if (n == 0)
    return 0;
  int r = depth(n - 1);
  if (r < 0) {
    printf("%s: inner failed\n", note);
    return -1;
  }
  return r + 1;
}

int main(void) {
  printf("depth(6) = %d\n", depth(6));
  bad = -1;
  printf("depth(20) = %d\n", depth(20));
  return 0;
}

// OUT: level 4: inner failed
// OUT-NEXT: level 5: inner failed
// OUT-NEXT: level 6: inner failed
// OUT-NEXT: depth(6) = -1
// OUT-NEXT: depth(20) = 20

// ERR: heal: recovered from SIGSEGV (segv) in depth: returned -1 to depth; report: {{.*}}
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "depth"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "depth"
// CHECK-NEXT: stack[1]: "depth"
// CHECK-NEXT: stack[2]: "depth"
// CHECK-NEXT: stack[3]: "depth"
// CHECK-NEXT: stack[4]: "main"
// CHECK: transaction: "depth"
