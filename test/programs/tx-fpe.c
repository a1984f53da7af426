// Fault source: An average divides by a count that is zero for key 2 (SIGFPE).
// The function runs as a transaction: the fault aborts it, it returns -1 (synthesized
// from the caller's `< 0` test) and the program goes on with the next key.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"average"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g  %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

static volatile int counts[4] = {1, 2, 0, 4};

int average(int key) {
  return 100 / counts[key]; /* the bug: an empty bucket */
}

int main(void) {
  for (int key = 0; key < 4; key++) {
    int r = average(key);
    if (r < 0)
      printf("key %d: error\n", key);
    else
      printf("key %d: %d\n", key, r);
  }
  printf("done\n");
  return 0;
}

// OUT: key 0: {{[0-9]+}}
// OUT-NEXT: key 1: {{[0-9]+}}
// OUT-NEXT: key 2: error
// OUT-NEXT: key 3: {{[0-9]+}}
// OUT-NEXT: done

// ERR: heal: recovered from SIGFPE (fpe) in average: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: code: "FPE_INTDIV"
// CHECK: kind: "fpe"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGFPE"
// CHECK: transaction: "average"
