// Rollback of writes made through indirect calls: a transaction dispatches a command
// through a table of handlers (function pointers); the handler writes globals and a heap
// block (itself and through a callee), then the transaction faults. After the abort the
// caller sees every old value: the indirect call went to the handler's undo-logging clone
// (__heal_tx_target). Pointers to functions of other modules and libc (abs through the
// same table, strcpy, strcmp, a function of a module built without heal) are called as
// they are and work; qsort calls this module's comparator (libc calls the original).
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"dispatch"}]}' > %t/p.json
// RUN: %clang -O2 -c %S/Inputs/undo-indirect-ext.c -o %t/ext.o
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s %t/ext.o -o %t/prog
// RUN: %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// One fault only (the report):
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog once > /dev/null 2>&1
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// The same at -O0, and with a static runtime.
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O0 -g %s %t/ext.o -o %t/prog0
// RUN: %t/prog0 2> /dev/null | FileCheck %s --check-prefix=OUT --match-full-lines
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -static %s %t/ext.o -o %t/progs
// RUN: %t/progs 2> /dev/null | FileCheck %s --check-prefix=OUT --match-full-lines
// The clones: the handlers (candidates of `int (*)(int)`) and bump (a handler's callee).
// cmp_int (address-taken for qsort, of `compare`'s type) writes nothing but its own frame:
// no clone, and the call through `compare` needs no lookup.
// The remark of the patch pipeline: the handler call redirected (2 candidates: h_add and
// h_reset), the call through `copy` (no function of its type here) and qsort not logged;
// the call through `compare` not counted (its only candidate, cmp_int, writes nothing).
// RUN: %clang -O0 -Xclang -disable-O0-optnone -g -emit-llvm -c %s -o %t/u.bc
// RUN: %opt_heal -passes=heal-patch -heal-policy=%t/p.json -pass-remarks-analysis=heal-undo -disable-output %t/u.bc 2>&1 | FileCheck %s --check-prefix=REMARK
// REMARK: transaction dispatch: 6 writes undo-logged in 5 functions; 1 indirect calls redirected to the clones of 2 candidate targets; not logged: writes made through 1 indirect calls and calls to qsort{{$}}
// RUN: nm %t/prog | FileCheck %s --check-prefix=NM
// NM-DAG: t h_add.heal_tx
// NM-DAG: t h_reset.heal_tx
// NM-DAG: t bump.heal_tx
// NM-DAG: U __heal_tx_target
// RUN: nm %t/prog | not grep "cmp_int[.]heal_tx"
// Without the redirect (-heal-undo-indirect=false) the handler's writes stay: this test
// fails without it.
// RUN: printf '#!/bin/sh\nexec opt "$@" -heal-undo-indirect=false\n' > %t/opt-noind
// RUN: chmod +x %t/opt-noind
// RUN: env HEAL_OPT=%t/opt-noind HEAL_POLICY=%t/p.json %heal_cc -O2 %s %t/ext.o -o %t/noind
// RUN: %t/noind 2> /dev/null | FileCheck %s --check-prefix=NOIND --match-full-lines
// RUN: nm %t/noind | not grep -E "heal_tx_target|h_add[.]heal_tx"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stats {
  long hits;
  char last[16];
};
static long total = 100;
static struct stats *st;

int ext_count(int v); /* Inputs/undo-indirect-ext.c */
extern long ext_calls;

__attribute__((noinline)) static void bump(const char *what) {
  st->hits++;
  snprintf(st->last, sizeof st->last, "%s", what);
}

static int h_add(int v) {
  total += v;
  bump("add");
  return 0;
}

static int h_reset(int v) {
  total = v;
  memset(st, 0, sizeof *st);
  return 0;
}

static int cmp_int(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

static const struct {
  const char *cmd;
  int (*fn)(int);
} handlers[] = {{"add", h_add}, {"reset", h_reset}, {"ext", ext_count}, {"abs", abs}};

static char *(*volatile copy)(char *, const char *) = strcpy;
static int (*volatile compare)(const char *, const char *) = strcmp;

// The transaction: finds the handler, runs it, then stores the result through `out`
// (NULL: the fault, after the handler's writes). Its failure value is -2 (heal-retval: a
// value it returns itself).
int dispatch(const char *cmd, int v, int *out) {
  int r = -1;
  for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
    if (compare(handlers[i].cmd, cmd) == 0) /* strcmp through a pointer: libc */
      r = handlers[i].fn(v);
  char buf[16];
  copy(buf, cmd); /* strcpy through a pointer: libc, into the transaction's own frame */
  if (strcmp(buf, cmd) != 0)
    return -2;
  int xs[4] = {v, 3, 1, 2};
  qsort(xs, 4, sizeof xs[0], cmp_int);
  *out = r + xs[0];
  return 0;
}

static void show(void) {
  printf("total=%ld hits=%ld last='%s' ext_calls=%ld\n", total, st->hits, st->last, ext_calls);
}

static int *volatile nowhere; /* NULL, unknown to the optimizer */

int main(int argc, char **argv) {
  (void)argv;
  st = calloc(1, sizeof *st);
  int out = 0;
  show();
  int r = dispatch("add", 5, &out);
  printf("add 5: %d out=%d\n", r, out);
  show();
  printf("add 7 crash: %d\n", dispatch("add", 7, nowhere));
  show();
  if (argc > 1)
    return 0;
  printf("reset 1 crash: %d\n", dispatch("reset", 1, nowhere));
  show();
  r = dispatch("ext", 4, &out);
  printf("ext 4: %d out=%d\n", r, out);
  show();
  r = dispatch("abs", -9, &out);
  printf("abs -9: %d out=%d\n", r, out);
  return 0;
}

// OUT: total=100 hits=0 last='' ext_calls=0
// OUT-NEXT: add 5: 0 out=1
// OUT-NEXT: total=105 hits=1 last='add' ext_calls=0
// OUT-NEXT: add 7 crash: -2
// OUT-NEXT: total=105 hits=1 last='add' ext_calls=0
// OUT-NEXT: reset 1 crash: -2
// OUT-NEXT: total=105 hits=1 last='add' ext_calls=0
// OUT-NEXT: ext 4: 0 out=6
// OUT-NEXT: total=105 hits=1 last='add' ext_calls=1
// OUT-NEXT: abs -9: 0 out=0

// NOIND: add 7 crash: -2
// NOIND-NEXT: total=112 hits=2 last='add' ext_calls=0
// NOIND-NEXT: reset 1 crash: -2
// NOIND-NEXT: total=1 hits=0 last='' ext_calls=0

// ERR: heal: recovered from SIGSEGV (segv) in dispatch: returned -2 to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in dispatch: returned -2 to main (recovery 2)
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: kind: "segv"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: recoveries: 1
// CHECK: return_value: "-2"
// CHECK: signal: "SIGSEGV"
// CHECK: transaction: "dispatch"
