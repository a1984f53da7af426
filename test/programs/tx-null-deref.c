// Fault source: A lookup dereferences a NULL entry for key 2 (SIGSEGV).
// The function runs as a transaction: the fault aborts it, it returns -1 (synthesized
// from the caller's `< 0` test) and the program goes on with the next key.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"lookup"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g  %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

struct entry { int value; };
static struct entry table[4] = {{10}, {20}, {30}, {40}};
static struct entry *slots[4] = {&table[0], &table[1], 0, &table[3]};

int lookup(int key) {
  struct entry *e = slots[key];
  return e->value; /* the bug: empty slots are not checked */
}

int main(void) {
  for (int key = 0; key < 4; key++) {
    int r = lookup(key);
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

// ERR: heal: recovered from SIGSEGV (segv) in lookup: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: code: "SEGV_MAPERR"
// CHECK: kind: "segv"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGSEGV"
// CHECK: transaction: "lookup"
