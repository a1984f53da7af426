// An instrumented module's constructor may run before the runtime's (here: a -static
// program whose constructor has priority 101). Its __heal_register_module call initializes
// the runtime on the spot, so a fault right after it, still in that constructor, is
// reported with the module's mode.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %clang -O0 -g -static -I%srcroot/include %s -o %t/prog -Wl,-u,__heal_register_module %rtdir/libheal_rt.a
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines

#include "heal/heal.h"
#include <stddef.h>

static const struct heal_module mod = {HEAL_ABI_VERSION, HEAL_MODE_ORACLE, "lazy.c", 0, 0, NULL};

__attribute__((noinline)) int early_deref(const int *p) { return *p; }

__attribute__((constructor(101))) static void early(void) {
  __heal_register_module(&mod);
  early_deref(NULL);
}

int main(void) { return 0; }

// CHECK:      function: "early_deref"
// CHECK-NEXT: kind: "segv"
// CHECK-NEXT: mode: "oracle"
// CHECK:      stack[0]: "early_deref"
// CHECK-NEXT: stack[1]: "early"
