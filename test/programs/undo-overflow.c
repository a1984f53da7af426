// The undo log is bounded (HEAL_UNDO_MAX_MB, default 256 MiB per thread). A transaction
// that writes more than that, and then faults, cannot be rolled back completely: heal
// does not resume with half-restored memory but reports the fault with a note and
// terminates as without heal. With the default size the same run recovers.
// RUN: rm -rf %t && mkdir -p %t/r %t/r2
// RUN: echo '{"version":1,"transactions":[{"function":"smooth"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_UNDO_MAX_MB=1 HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: env HEAL_REPORT_DIR=%t/r2 %t/prog 2> /dev/null | FileCheck %s --check-prefix=BIG --match-full-lines
#include <stdio.h>
#include <stdlib.h>

#define N 100000 /* 100 000 logged 8-byte writes: 2.4 MB of log */

static double samples[N];

int smooth(double *s, int n, const int *weights) {
  for (int i = 1; i < n; i++)
    s[i] = (s[i - 1] + s[i]) / 2;
  return weights[0]; /* the bug: no weights given */
}

int main(void) {
  for (int i = 0; i < N; i++)
    samples[i] = i;
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("before: %.1f %.1f\n", samples[1], samples[N - 1]);
  int r = smooth(samples, N, NULL);
  printf("smooth: %d; after: %.1f %.1f\n", r, samples[1], samples[N - 1]);
  return 0;
}

// OUT: before: 1.0 99999.0
// OUT-NOT: smooth
// ERR: heal: {{.*}}SIGSEGV
// BIG: before: 1.0 99999.0
// BIG-NEXT: smooth: -1; after: 1.0 99999.0

// CHECK: action: "terminated"
// CHECK: note: "the undo log overflowed, so the transaction's writes could not all be undone"
// CHECK: signal: "SIGSEGV"
// CHECK: transaction: "smooth"
