// Nested transactions. post_batch (outer) records a batch header and posts each entry
// through post_entry (inner), both writing the same ledger (globals and a heap array).
//  - An entry faults: only that entry's writes are undone; the batch goes on and commits
//    with the other entries (the outer transaction keeps what the inner committed).
//  - Argument "outer": every entry commits (none is too big), then the batch itself
//    faults: everything, the committed inner transactions' writes included, is undone.
// RUN: rm -rf %t && mkdir -p %t/r1 %t/r2
// RUN: echo '{"version":1,"transactions":[{"function":"post_batch"},{"function":"post_entry"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r1 %t/prog > %t/out1.txt 2> %t/err1.txt
// RUN: FileCheck %s --check-prefix=INNER --match-full-lines < %t/out1.txt
// RUN: FileCheck %s --check-prefix=ERR1 < %t/err1.txt
// RUN: %report %t/r1 | FileCheck %s --check-prefix=REPORT1 --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r2 %t/prog outer > %t/out2.txt 2> %t/err2.txt
// RUN: FileCheck %s --check-prefix=OUTER --match-full-lines < %t/out2.txt
// RUN: FileCheck %s --check-prefix=ERR2 < %t/err2.txt
// RUN: %report %t/r2 | FileCheck %s --check-prefix=REPORT2 --match-full-lines
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char account[8];
  int amount;
};

static long balance;
static int entries;
static int batches;
static char last_batch[16] = "none";
static int *journal; /* heap: amounts posted, in order */

int post_entry(const struct entry *e) {
  journal[entries++] = e->amount;
  balance += e->amount;
  if (e->amount > 1000) { /* the bug: a "limit check" that dereferences a stale pointer */
    int *volatile limit = NULL;
    balance += *limit;
  }
  return 0;
}

int post_batch(const char *name, const struct entry *e, int n, int crash_after) {
  batches++;
  snprintf(last_batch, sizeof last_batch, "%s", name);
  int failed = 0;
  for (int i = 0; i < n; i++)
    if (post_entry(&e[i]) < 0)
      failed++;
  if (crash_after) {
    volatile char *p = NULL;
    *p = 1; /* the batch's own fault, after its entries committed */
  }
  return failed;
}

static void show(void) {
  printf("balance=%ld entries=%d batches=%d last=%s journal=", balance, entries, batches,
         last_batch);
  for (int i = 0; i < entries; i++)
    printf("%s%d", i ? "," : "", journal[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  int outer = argc > 1 && strcmp(argv[1], "outer") == 0;
  journal = calloc(16, sizeof *journal);
  struct entry first[] = {{"a", 10}, {"b", 20}};
  printf("batch one: %d\n", post_batch("one", first, 2, 0));
  show();
  struct entry second[] = {{"c", 5}, {"d", outer ? 6 : 5000}, {"e", 7}};
  printf("batch two: %d\n", post_batch("two", second, 3, outer));
  show();
  return 0;
}

// INNER: batch one: 0
// INNER-NEXT: balance=30 entries=2 batches=1 last=one journal=10,20
// INNER-NEXT: batch two: 1
// INNER-NEXT: balance=42 entries=4 batches=2 last=two journal=10,20,5,7
// ERR1: heal: recovered from SIGSEGV (segv) in post_entry: returned -1 to post_batch; report: {{.*}}.json
// ERR1-NOT: heal:
// REPORT1: action: "recovered"
// REPORT1: caller: "post_batch"
// REPORT1: recoveries: 1
// REPORT1: return_value: "-1"
// REPORT1: transaction: "post_entry"

// OUTER: batch one: 0
// OUTER-NEXT: balance=30 entries=2 batches=1 last=one journal=10,20
// OUTER-NEXT: batch two: -1
// OUTER-NEXT: balance=30 entries=2 batches=1 last=one journal=10,20
// ERR2: heal: recovered from SIGSEGV (segv) in post_batch: returned -1 to main; report: {{.*}}.json
// ERR2-NOT: heal:
// REPORT2: action: "recovered"
// REPORT2: caller: "main"
// REPORT2: recoveries: 1
// REPORT2: return_value: "-1"
// REPORT2: transaction: "post_batch"
