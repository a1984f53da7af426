// Module registration: `mode` in the report is the highest mode of the registered
// modules ("sensor" when none). A module of another ABI version is refused with a message.
// Registration may happen before the runtime's own constructor ran (lazy init); here it
// happens from main, after it.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1
// RUN: %heal_cc -O0 -g -I%srcroot/include %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r0 %expect_crash SIGSEGV %t/prog 2> %t/err0
// RUN: %report %t/r0 | FileCheck --check-prefix=SENSOR %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog oracle 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=ORACLE %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR1 %s < %t/err1

#include "heal/heal.h"
#include <stddef.h>

static const struct heal_module sensor_mod = {HEAL_ABI_VERSION, HEAL_MODE_SENSOR, "a.c", 0, 0, NULL};
static const struct heal_module oracle_mod = {HEAL_ABI_VERSION, HEAL_MODE_ORACLE, "b.c", 0, 0, NULL};
static const struct heal_module future_mod = {HEAL_ABI_VERSION + 1, HEAL_MODE_PATCH, "future.c", 0, 0, NULL};

__attribute__((noinline)) int deref(const int *p) { return *p; }

int main(int argc, char **argv) {
  (void)argv;
  __heal_register_module(&sensor_mod);
  if (argc > 1) {
    __heal_register_module(&oracle_mod);
    __heal_register_module(&future_mod);
    __heal_register_module(&sensor_mod);
  }
  return deref(NULL);
}

// SENSOR: mode: "sensor"
// ORACLE: mode: "oracle"
// ERR1: heal: module future.c was built for another heal ABI version; rebuild it with this heal-cc (module ignored)
// ERR1-NEXT: heal: SIGSEGV (segv) at address 0x0 in deref
