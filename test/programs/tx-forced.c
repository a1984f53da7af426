// A policy-forced return value wins over the synthesis, and the report says so: callers
// of `lookup` test `< 0` (heal would choose -1), the policy forces -2 ("not found" in this
// program's convention, which the caller handles differently from other errors).
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"lookup","return":-2}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

static const char *names[3] = {"ada", 0, "alan"};

int lookup(int k) {
  const char *n = names[k];
  return n[0]; /* the bug: a missing name */
}

int main(void) {
  for (int k = 0; k < 3; k++) {
    int r = lookup(k);
    if (r == -2)
      printf("%d: not found\n", k);
    else if (r < 0)
      printf("%d: error\n", k);
    else
      printf("%d: %c\n", k, r);
  }
  return 0;
}

// OUT: 0: a
// OUT-NEXT: 1: not found
// OUT-NEXT: 2: a

// ERR: heal: recovered from SIGSEGV (segv) in lookup: returned -2 to main; report: {{.*}}
// CHECK: action: "recovered"
// CHECK: return_value: "-2"
// CHECK: transaction: "lookup"
