// A report the runtime raises itself aborts the transaction too: `name` (60 bytes,
// guarded by the policy) is overrun by 2 bytes, which stay in the slot's slack before
// the guard page; the canary check when the frame releases the buffer finds it. That is
// still inside the transaction (the release is in the function's own exit), so it aborts
// and returns -1.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"set_name"}],"guard":[{"function":"set_name","buffer":"name"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

static int (*volatile use)(const char *) = 0;
static int first(const char *s) { return s[0]; }

int set_name(size_t n) {
  char name[60];
  memset(name, 'n', n); /* the bug: n may exceed 60 */
  return use(name);
}

int main(void) {
  use = first;
  printf("%d\n", set_name(10));
  printf("%d\n", set_name(62));
  printf("%d\n", set_name(20));
  return 0;
}

// OUT: 110
// OUT-NEXT: -1
// OUT-NEXT: 110

// ERR: heal: recovered from a stack-buffer-overflow in set_name: returned -1 to main; report: {{.*}}
// ERR-NOT: heal:
// CHECK: action: "recovered"
// CHECK: buffer: "name"
// CHECK: detected: "release"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: offset: 60
// CHECK: transaction: "set_name"
