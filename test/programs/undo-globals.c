// Rollback of globals: a transfer debits one account, updates the bank's total and its
// operation log (globals, from the transaction and from a callee), then crashes on an
// unknown payee (NULL from find). The transaction returns -1 and every global is as it was
// before the transfer: the program's own output after the recovery proves it.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"transfer"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// The same at -O0.
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O0 -g %s -o %t/prog0
// RUN: %t/prog0 2> /dev/null | FileCheck %s --check-prefix=OUT --match-full-lines
// "rollback": false: the transaction still returns -1, but its writes stay (and nothing
// is logged: no logging call or clone; only the inline commit reads the log's emptiness,
// __heal_undo_tls, as nested rollback transactions may have logged into it).
// RUN: echo '{"version":1,"transactions":[{"function":"transfer","rollback":false}]}' > %t/off.json
// RUN: env HEAL_POLICY=%t/off.json %heal_cc -O2 -g %s -o %t/off
// RUN: %t/off 2> /dev/null | FileCheck %s --check-prefix=OFF --match-full-lines
// RUN: nm %t/off | not grep -E "heal_undo_log|heal_tx_malloc|[.]heal_tx"
// RUN: nm %t/off | grep -c heal_undo | FileCheck %s --check-prefix=UNDOREFS
// UNDOREFS: {{^}}1{{$}}
#include <stdio.h>
#include <string.h>

struct account {
  char owner[16];
  long balance;
};
static struct account accounts[3] = {{"ann", 100}, {"bob", 50}, {"cy", 10}};
static long total = 160;
static int ops;
static char last_op[32] = "none";
double fee_rate = 0.5;

static struct account *find(const char *name) {
  for (int i = 0; i < 3; i++)
    if (strcmp(accounts[i].owner, name) == 0)
      return &accounts[i];
  return NULL;
}

static void note(const char *op, long amount) {
  ops++;
  snprintf(last_op, sizeof last_op, "%s %ld", op, amount);
}

int transfer(const char *from, const char *to, long amount) {
  struct account *a = find(from);
  if (!a)
    return -1;
  a->balance -= amount;
  total -= amount;
  fee_rate *= 2;
  note("debit", amount);
  struct account *b = find(to);
  b->balance = b->balance + amount; /* the bug: an unknown payee is not checked */
  total += amount;
  note("credit", amount);
  return 0;
}

static void show(void) {
  printf("ann=%ld bob=%ld cy=%ld total=%ld ops=%d last='%s' fee=%.2f\n", accounts[0].balance,
         accounts[1].balance, accounts[2].balance, total, ops, last_op, fee_rate);
}

int main(void) {
  show();
  printf("ann->bob 30: %d\n", transfer("ann", "bob", 30));
  show();
  printf("bob->zed 20: %d\n", transfer("bob", "zed", 20));
  show();
  printf("cy->ann 5: %d\n", transfer("cy", "ann", 5));
  show();
  return 0;
}

// OUT: ann=100 bob=50 cy=10 total=160 ops=0 last='none' fee=0.50
// OUT-NEXT: ann->bob 30: 0
// OUT-NEXT: ann=70 bob=80 cy=10 total=160 ops=2 last='credit 30' fee=1.00
// OUT-NEXT: bob->zed 20: -1
// OUT-NEXT: ann=70 bob=80 cy=10 total=160 ops=2 last='credit 30' fee=1.00
// OUT-NEXT: cy->ann 5: 0
// OUT-NEXT: ann=75 bob=80 cy=5 total=160 ops=4 last='credit 5' fee=2.00

// OFF: bob->zed 20: -1
// OFF-NEXT: ann=70 bob=60 cy=10 total=140 ops=3 last='debit 20' fee=2.00

// ERR: heal: recovered from SIGSEGV (segv) in transfer: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: kind: "segv"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGSEGV"
// CHECK: transaction: "transfer"
