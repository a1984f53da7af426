// Fault source: A copy smashes the stack canary; __stack_chk_fail aborts at return (-fstack-protector-all).
// (A longer copy that also ran over the return address into the wrapper's frame is not
// recovered from: see tx-smashed-frame.c.)
// The function runs as a transaction: the fault aborts it, it returns -1 (synthesized
// from the caller's `< 0` test) and the program goes on with the next key.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"checksum"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g -fstack-protector-all -U_FORTIFY_SOURCE %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

#include <string.h>
/* 28: into the canary, which lies 16 or 24 bytes above buf depending on the frame's
 * padding (register allocation: the indirect call's __heal_tx_target lookup keeps one more
 * register live), short of the return address either way. */
static volatile size_t lengths[4] = {3, 5, 28, 2};
static char text[128] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

__attribute__((noinline)) static int sum(const char *p, size_t n) {
  int s = 0;
  for (size_t i = 0; i < n; i++)
    s += p[i];
  return s;
}

static int (*volatile sum_fn)(const char *, size_t) = sum; /* keeps buf on the stack */

int checksum(int key) {
  char buf[16];
  size_t n = lengths[key];
  memcpy(buf, text, n); /* the bug: n is not checked against buf */
  return sum_fn(buf, n < 16 ? n : 16);
}

int main(void) {
  for (int key = 0; key < 4; key++) {
    int r = checksum(key);
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

// ERR: *** stack smashing detected ***: terminated
// ERR: heal: recovered from SIGABRT (abort) in checksum: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: code: "SI_TKILL"
// CHECK: kind: "abort"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGABRT"
// CHECK: transaction: "checksum"
