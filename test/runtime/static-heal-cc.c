// heal-cc -static links libheal_rt.a; the module's registration constructor pulls the
// runtime in and initializes it. (static.c covers the archive's thread hook.)
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g -static %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

#include <stddef.h>

__attribute__((noinline)) static int lookup(const int *table, int i) { return table[i]; }

int main(int argc, char **argv) {
  (void)argv;
  return lookup(NULL, argc);
}

// CHECK:      function: "lookup"
// CHECK-NEXT: kind: "segv"
// CHECK-NEXT: mode: "sensor"
// CHECK:      stack[0]: "lookup"
// CHECK-NEXT: stack[1]: "main"
// CHECK-NEXT: stack[2]: "__libc_start_call_main"
// ERR: heal: SIGSEGV (segv) at address 0x4 in lookup (pc 0x{{[0-9a-f]+}}); stack: lookup < main < __libc_start_call_main < {{.*}}; terminated; report: {{.*}}.json
