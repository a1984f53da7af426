// The heap quarantine's two kinds of freed blocks (docs/oracle.md, "Use after free").
// Guarded blocks (the first HEAL_ORACLE_PROTECT_FIRST frees, then every
// HEAL_ORACLE_PROTECT_EVERY-th, and blocks of 16 KiB or more) fault on any access.
// Poisoned blocks stay mapped, filled with 0xfd: a read sees the poison and is not
// reported; a write is reported when the block leaves the quarantine
// (HEAL_ORACLE_POISON_MB of resident pages later) with its exact offset, `detected:
// "quarantine"`, and the stack of the free() that pushed it out.
// RUN: rm -rf %t && mkdir -p %t/r1 %t/r2 %t/r3 %t/r4
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_ORACLE_PROTECT_FIRST=0 HEAL_ORACLE_PROTECT_EVERY=0 %t/prog read | FileCheck --check-prefix=READ %s
// RUN: env HEAL_ORACLE_PROTECT_FIRST=0 HEAL_ORACLE_PROTECT_EVERY=0 HEAL_ORACLE_POISON_MB=1 HEAL_REPORT_DIR=%t/r1 %expect_crash SIGABRT %t/prog write > %t/out1 2> %t/err1
// RUN: FileCheck --check-prefix=WRITE-OUT %s < %t/out1
// RUN: FileCheck --check-prefix=WRITE-ERR %s --match-full-lines < %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=WRITE %s --match-full-lines
// RUN: env HEAL_ORACLE_PROTECT_FIRST=0 HEAL_ORACLE_PROTECT_EVERY=0 HEAL_REPORT_DIR=%t/r2 %expect_crash SIGSEGV %t/prog big 2> %t/err2
// RUN: FileCheck --check-prefix=BIG-ERR %s --match-full-lines < %t/err2
// RUN: env HEAL_ORACLE_PROTECT_FIRST=0 HEAL_ORACLE_PROTECT_EVERY=1 HEAL_REPORT_DIR=%t/r3 %expect_crash SIGSEGV %t/prog read 2> %t/err3
// RUN: FileCheck --check-prefix=EXACT-ERR %s --match-full-lines < %t/err3
// RUN: env HEAL_ORACLE_PROTECT_FIRST=0 HEAL_ORACLE_PROTECT_EVERY=4 HEAL_REPORT_DIR=%t/r4 %expect_crash SIGSEGV %t/prog sample > %t/out4 2> %t/err4
// RUN: FileCheck --check-prefix=SAMPLE-OUT %s < %t/out4
// RUN: FileCheck --check-prefix=SAMPLE-ERR %s --match-full-lines < %t/err4

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(make_block);
FUNCTION(poke);
FUNCTION(churn);
FUNCTION(main);

__attribute__((noinline)) char *make_block(size_t n) {
  ENTER(make_block);
  char *p = malloc(n);
  memset(p, 'x', n);
  LEAVE();
  return p;
}

__attribute__((noinline)) int poke(char *p, long i, int write) {
  ENTER(poke);
  int r = 0;
  if (write)
    ((volatile char *)p)[i] = 1;
  else
    r = ((volatile unsigned char *)p)[i];
  LEAVE();
  return r;
}

static void *volatile sink;

/* Frees that push earlier blocks out of a 1 MiB poisoned quarantine (256 pages). */
__attribute__((noinline)) static void churn(int n) {
  ENTER(churn);
  for (int i = 0; i < n; i++) {
    sink = malloc(100);
    free(sink);
  }
  LEAVE();
}

int main(int argc, char **argv) {
  ENTER(main);
  const char *what = argc > 1 ? argv[1] : "read";
  setvbuf(stdout, NULL, _IONBF, 0); /* no buffer block: frees are counted exactly */
  if (!strcmp(what, "read")) {
    char *p = make_block(64);
    free(p);
    printf("read after free: %#x\n", poke(p, 8, 0));
  }
  if (!strcmp(what, "write")) {
    char *p = make_block(64);
    free(p);
    poke(p, 8, 1);
    printf("write after free not seen yet\n");
    churn(1000);
    printf("not reached\n");
  }
  if (!strcmp(what, "big")) {
    char *p = make_block(16384);
    free(p);
    poke(p, 100, 0);
  }
  if (!strcmp(what, "sample")) { /* every 4th free from the first on is guarded */
    char *b[5];
    for (int i = 0; i < 5; i++)
      b[i] = make_block(32);
    for (int i = 0; i < 5; i++)
      free(b[i]);
    printf("block 3: %#x\n", poke(b[3], 0, 0));
    printf("block 4: %#x\n", poke(b[4], 0, 0));
  }
  LEAVE();
  return 0;
}

// READ: read after free: 0xfd

// WRITE-OUT: write after free not seen yet
// WRITE-OUT-NOT: not reached
// WRITE-ERR: heal: use-after-free in churn: write at offset 8 of freed heap block (64 bytes from malloc in make_block); stack: churn < main; terminated; report: {{.*}}.json
// WRITE:      access: "write"
// WRITE:      buffer: "malloc"
// WRITE:      buffer_function: "make_block"
// WRITE:      buffer_size: 64
// WRITE-NEXT: code: null
// WRITE-NEXT: detected: "quarantine"
// WRITE:      function: "churn"
// WRITE:      kind: "use-after-free"
// WRITE-NEXT: mode: "oracle"
// WRITE-NEXT: offset: 8
// WRITE:      signal: "SIGABRT"
// WRITE:      stack: #2
// WRITE-NEXT: stack[0]: "churn"
// WRITE-NEXT: stack[1]: "main"

// BIG-ERR: heal: use-after-free in poke: read at offset 100 of freed heap block (16384 bytes from malloc in make_block); stack: poke < main; terminated; report: {{.*}}.json
// EXACT-ERR: heal: use-after-free in poke: read at offset 8 of freed heap block (64 bytes from malloc in make_block); stack: poke < main; terminated; report: {{.*}}.json

// SAMPLE-OUT: block 3: 0xfd
// SAMPLE-OUT-NOT: block 4
// SAMPLE-ERR: heal: use-after-free in poke: read at offset 0 of freed heap block (32 bytes from malloc in make_block); stack: poke < main; terminated; report: {{.*}}.json
