// A recursive transaction: each level of descend() is a transaction of its own, nested in
// its caller's. Each level records itself in a global trail and a running total, then
// descends; the sixth level writes too and then faults. Only that level is rolled back:
// its caller gets -1, marks its own trail entry as failed and returns normally, and so on
// up. The trail and the total show exactly the committed levels' writes.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"descend"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

static int trail[8] = {99, 99, 99, 99, 99, 99, 99, 99};
static long total;
int *table[8]; /* the bug: level 5 expects a table nobody set up */

int descend(int depth) {
  trail[depth] = depth;
  total += depth;
  if (depth == 5)
    return *table[depth];
  if (descend(depth + 1) < 0) {
    trail[depth] = -depth;
    return -1;
  }
  return 0;
}

int main(void) {
  int r = descend(0);
  printf("descend: %d, total %ld, trail", r, total);
  for (int i = 0; i < 8; i++)
    printf(" %d", trail[i]);
  printf("\n");
  return 0;
}

// OUT: descend: -1, total 10, trail 0 -1 -2 -3 -4 99 99 99

// ERR: heal: recovered from SIGSEGV (segv) in descend: returned -1 to descend; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "descend"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: transaction: "descend"
