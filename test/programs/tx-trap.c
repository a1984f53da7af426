// Fault source: __builtin_trap() on an impossible state (SIGILL).
// The function runs as a transaction: the fault aborts it, it returns -1 (synthesized
// from the caller's `< 0` test) and the program goes on with the next key.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"step"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g  %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

static volatile int states[4] = {1, 2, 7, 3};

int step(int key) {
  int s = states[key];
  if (s > 4)
    __builtin_trap(); /* "cannot happen" */
  return s * 10;
}

int main(void) {
  for (int key = 0; key < 4; key++) {
    int r = step(key);
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

// ERR: heal: recovered from SIGILL (ill) in step: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: code: "ILL_ILLOPN"
// CHECK: kind: "ill"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGILL"
// CHECK: transaction: "step"
