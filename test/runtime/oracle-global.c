// A guarded global laid out by hand as the pass does: [guard page][slack][table][guard
// page] in one page-aligned object, registered by a constructor. Running past the end of
// `table` faults in the back guard; running far before its start, in the front guard.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1 %t/r2
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog 0 > %t/out0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog 24 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=OVER %s --match-full-lines
// RUN: FileCheck --check-prefix=OVER-ERR %s --match-full-lines < %t/err1
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGSEGV %t/prog -4073 2> %t/err2
// RUN: %report %t/r2 | FileCheck --check-prefix=UNDER %s --match-full-lines

#include <stdio.h>
#include <stdlib.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(lookup);
FUNCTION(main);

#define PAGE 4096
static struct {
  char front[PAGE];
  char slack[PAGE - 24];
  int table[6];
  char back[PAGE];
} guarded __attribute__((aligned(PAGE))) = {.table = {1, 2, 3, 4, 5, 6}};

static const struct heal_buffer_site table_site = {"", "table", "tables.c", 3, HEAL_SITE_GLOBAL, 24};

__attribute__((constructor(1))) static void guard(void) {
  __heal_guard_global(&guarded, sizeof guarded, guarded.table, &table_site);
}

__attribute__((noinline)) static int lookup(long byte) {
  ENTER(lookup);
  int r = *(volatile char *)((char *)guarded.table + byte);
  LEAVE();
  return r;
}

int main(int argc, char **argv) {
  ENTER(main);
  long i = argc > 1 ? atol(argv[1]) : 0;
  printf("table[0] = %d, byte %ld = %d\n", guarded.table[0], i, lookup(i));
  LEAVE();
  return 0;
}

// GOOD: table[0] = 1, byte 0 = 1

// OVER:      access: "read"
// OVER:      buffer: "table"
// OVER-NEXT: buffer_file: "tables.c"
// OVER-NEXT: buffer_function: null
// OVER-NEXT: buffer_line: 3
// OVER-NEXT: buffer_size: 24
// OVER:      function: "lookup"
// OVER:      kind: "global-buffer-overflow"
// OVER-NEXT: mode: "oracle"
// OVER-NEXT: offset: 24
// OVER-ERR: heal: global-buffer-overflow in lookup: read 1 byte past the end of 'table' (24 bytes, tables.c:3); stack: lookup < main; terminated; report: {{.*}}.json

// UNDER:      kind: "global-buffer-underflow"
// UNDER-NEXT: mode: "oracle"
// UNDER-NEXT: offset: -4073
