// A SIGSEGV handler installed before heal's gets the first chance at kernel faults: the
// fault it resolves is not reported and the program goes on; a fault it leaves unresolved
// comes back unchanged and is then reported by heal. abort() is reported first, then the
// earlier SIGABRT handler still runs, and abort() kills the process when it returns.
// (Linked with %clang so that the order of the libraries, which decides whose
// constructor runs first, is explicit.)
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %clang -shared -fPIC %S/Inputs/preinstalled.c -o %t/libpre.so
// RUN: %clang -O0 -g %s -o %t/prog -L%rtdir -Wl,-rpath,%rtdir -Wl,--no-as-needed -lheal_rt %t/libpre.so -Wl,-rpath,%t
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out 2> %t/err
// RUN: FileCheck --check-prefix=OK %s --match-full-lines < %t/out
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=NONE %s < %t/err
// RUN: not %report %t/r
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog unresolved > %t/out2 2> %t/err2
// RUN: FileCheck --check-prefix=OK %s --match-full-lines < %t/out2
// RUN: FileCheck --check-prefix=ERR %s < %t/err2
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: rm -rf %t/r && mkdir %t/r
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog abort > %t/out3 2> %t/err3
// RUN: FileCheck --check-prefix=ABORT %s --match-full-lines < %t/err3
// RUN: %report %t/r | FileCheck --check-prefix=ABORT-REPORT %s --match-full-lines

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char *pre_page;
extern int pre_calls;

__attribute__((noinline)) void store(char *p) { *p = 1; }

int main(int argc, char **argv) {
  store(pre_page);
  printf("resolved by the earlier handler: %d call(s)\n", pre_calls);
  fflush(stdout);
  if (argc > 1 && !strcmp(argv[1], "abort"))
    abort();
  if (argc > 1)
    store(NULL); /* not the page the earlier handler knows */
  return 0;
}

// OK: resolved by the earlier handler: 1 call(s)
// NONE-NOT: heal
// ERR: heal: SIGSEGV (segv) at address 0x0 in store (pc {{.*}}); stack: store < main < {{.*}}
// CHECK: function: "store"
// CHECK: stack[0]: "store"
// CHECK-NEXT: stack[1]: "main"
// ABORT:      heal: SIGABRT (abort) in abort (pc {{.*}}); stack: abort < main < {{.*}}
// ABORT-NEXT: pre: abort handler ran
// ABORT-REPORT: kind: "abort"
