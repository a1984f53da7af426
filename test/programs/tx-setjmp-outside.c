// A longjmp out of a transaction, then a fault OUTSIDE any transaction in code that
// reuses the stack where the dead transaction's frame was: it must terminate as without
// heal (reported, action "terminated", transaction null), never jump into the dead frame.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"parse"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <setjmp.h>
#include <stdio.h>

static jmp_buf on_error;
static int *volatile nowhere;

int parse(const char *s) {
  if (s[0] == '!')
    longjmp(on_error, 1);
  return s[0];
}

/* Same stack depth as parse: its frame lands where parse's was. */
__attribute__((noinline)) int plain(int x) {
  volatile char pad[512];
  pad[0] = (char)x;
  if (x == 7)
    return *nowhere + pad[0]; /* a fault outside any transaction */
  return pad[0];
}

int main(void) {
  if (setjmp(on_error) == 0)
    parse("!");
  printf("back in main\n");
  fflush(stdout);
  plain(1);
  plain(7);
  printf("not reached\n");
  return 0;
}

// OUT: back in main
// OUT-NOT: not reached

// ERR: heal: SIGSEGV (segv) at address 0x0 in plain (pc {{.*}}); stack: plain < main < {{.*}}; terminated; report: {{.*}}
// CHECK-NOT: caller
// CHECK: action: "terminated"
// CHECK-NOT: caller
// CHECK: function: "plain"
// CHECK-NOT: note
// CHECK-NOT: recoveries
// CHECK: return_value: null
// CHECK: transaction: null
