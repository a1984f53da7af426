// A stack overflow in the transaction's body that runs over the body's return address
// into the transaction's own saved state (the wrapper's frame lies just above the body's)
// must not be "recovered" by jumping through a damaged frame: the runtime finds its guard
// word overwritten and terminates as without heal, saying why.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"checksum"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g -fstack-protector-all -U_FORTIFY_SOURCE %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

static char text[512];

__attribute__((noinline)) static int sum(const char *p, size_t n) {
  int s = 0;
  for (size_t i = 0; i < n; i++)
    s += p[i];
  return s;
}
static int (*volatile sum_fn)(const char *, size_t) = sum;
static volatile size_t length = 200;

int checksum(void) {
  char buf[16];
  memcpy(buf, text, length); /* far past buf, the canary and the return address */
  return sum_fn(buf, 16);
}

int main(void) {
  memset(text, 'A', sizeof text);
  printf("%d\n", checksum());
  return 0;
}

// ERR: *** stack smashing detected ***: terminated
// ERR-NEXT: heal: SIGABRT (abort) in abort {{.*}}; terminated (inside transaction checksum, not recovered: the transaction's saved state was overwritten (by a buffer overflow?)){{.*}}
// CHECK: action: "terminated"
// CHECK: note: "the transaction's saved state was overwritten (by a buffer overflow?)"
// CHECK: transaction: "checksum"
